#!/bin/sh
# Writes PgBouncer's configuration for this node and reloads it when it runs (SIGHUP): the pool
# size and mode change live, for new transactions, with no connection dropped.
#   pooler-config.sh POOL_SIZE POOL_MODE     (POOL_MODE: transaction | session)
set -eu
size=$1
mode=$2
case "$mode" in transaction | session) ;; *) echo "pool mode must be transaction or session, not $mode" >&2; exit 2 ;; esac
case "$size" in '' | *[!0-9]*) echo "pool size must be a number, not $size" >&2; exit 2 ;; esac
conf=/etc/pgbouncer/pgbouncer.ini
cat > "$conf.new" <<INI
; Written by pooler-config.sh: edit the topology (database.poolSize, database.poolMode), not this.
[databases]
; Every client database name reaches this node's own PostgreSQL (trusted on loopback).
* = host=127.0.0.1 port=5432
[pgbouncer]
listen_addr = *
listen_port = 6432
unix_socket_dir = /run/postgresql
pidfile = /run/postgresql/pgbouncer.pid
auth_type = scram-sha-256
auth_file = /etc/pgbouncer/userlist.txt
admin_users = scalelab
stats_users = scalelab
pool_mode = $mode
default_pool_size = $size
min_pool_size = 0
reserve_pool_size = 0
max_client_conn = 2000
; node-postgres sends these at login; in transaction mode they could not stay per client anyway.
ignore_startup_parameters = extra_float_digits,statement_timeout,options
; The API's own 10 s statement timeout, kept when its login parameters are not.
query_timeout = 10
; Clients wait in PgBouncer's queue for at most this long, then get an error (as without a pooler
; they would get "too many clients" at once).
query_wait_timeout = 10
; A failed login to PostgreSQL (all its slots taken, as when the API switches over to the pooler
; and its direct connections are still closing) is retried after 1 s, not PgBouncer's default 15 s
; of refusing every client meanwhile.
server_login_retry = 1
log_connections = 0
log_disconnections = 0
stats_period = 60
INI
mv "$conf.new" "$conf"
pid=$(cat /run/postgresql/pgbouncer.pid 2>/dev/null || true)
if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -HUP "$pid"; fi
