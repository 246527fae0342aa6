#!/bin/sh
# Renders and runs the database router's HAProxy config.  DB_NODES: the database nodes, comma-separated.
#   5432 -> the leader's PostgreSQL     6432 -> the leader's PgBouncer
#   5433 -> a replica's PostgreSQL      6433 -> a replica's PgBouncer
# A node is checked each second; when it stops being the leader, `on-marked-down shutdown-sessions`
# closes the connections still open to it, so clients reconnect to the new leader instead of
# writing to a node that is no longer primary.
set -eu
: "${DB_NODES:?}"
cfg=/run/haproxy/haproxy.cfg
servers() { # $1: port
  for n in $(echo "$DB_NODES" | tr ',' ' '); do
    echo "    server $n $n:$1 check port 8008 resolvers docker init-addr none"
  done
}
listen() { # $1: name  $2: bind port  $3: server port  $4: Patroni endpoint
  cat <<CFG
listen $1
    bind :$2
    option httpchk GET $4
    http-check expect status 200
$(servers "$3")
CFG
}
{
  cat <<CFG
global
    maxconn 4000
defaults
    mode tcp
    timeout connect 2s
    timeout client 30m
    timeout server 30m
    timeout check 2s
    default-server inter 1s fall 2 rise 1 on-marked-down shutdown-sessions
resolvers docker
    nameserver dns 127.0.0.11:53
    hold valid 1s
frontend stats
    mode http
    bind :8404
    http-request use-service prometheus-exporter if { path /metrics }
    stats enable
    stats uri /stats
    stats refresh 1s
CFG
  listen primary 5432 5432 /primary
  listen primary-pooled 6432 6432 /primary
  listen replicas 5433 5432 /replica
  listen replicas-pooled 6433 6432 /replica
} > "$cfg"
exec haproxy -W -db -f "$cfg"
