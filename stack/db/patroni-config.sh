#!/bin/sh
# Writes this node's Patroni configuration (database.ha): PostgreSQL run by Patroni, its leader
# key in etcd, a REST API on 8008 that HAProxy asks who the leader is (GET /primary, /replica).
#   env: INSTANCE_NAME DB_PASSWORD ETCD_HOSTS (host:port,...) MAX_CONNECTIONS SYNCHRONOUS (true|false)
#        APPLY_DELAY_MS
# The timings are short so a failover fits a lesson (Patroni's defaults are ttl 30, loop_wait 10):
# the leader key lives 10 s, each node's loop runs every 2 s, and loop_wait + 2 * retry_timeout
# stays within ttl, as Patroni requires.
set -eu
: "${INSTANCE_NAME:?}" "${DB_PASSWORD:?}" "${ETCD_HOSTS:?}"
cat > /etc/patroni/scalelab.yml <<YAML
scope: scalelab
name: ${INSTANCE_NAME}
log:
  level: WARNING
restapi:
  listen: 0.0.0.0:8008
  connect_address: ${INSTANCE_NAME}:8008
etcd3:
  hosts: ${ETCD_HOSTS}
bootstrap:
  dcs:
    ttl: 10
    loop_wait: 2
    retry_timeout: 4
    # A replica further behind than this (bytes) is not promoted.
    maximum_lag_on_failover: 16777216
    synchronous_mode: ${SYNCHRONOUS:-false}
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters:
        max_connections: ${MAX_CONNECTIONS:-100}
        # pg_rewind needs it to bring a failed leader back as a replica of the new one.
        wal_log_hints: 'on'
        hot_standby: 'on'
        wal_level: replica
        max_wal_senders: 10
        max_replication_slots: 10
        wal_keep_size: 512MB
  # The cluster starts from the template initialised at build time (a second, not initdb's many).
  method: scalelab_template
  scalelab_template:
    command: /opt/scalelab/bootstrap-from-template.sh
    no_params: true
postgresql:
  listen: 0.0.0.0:5432
  connect_address: ${INSTANCE_NAME}:5432
  data_dir: /var/lib/postgresql/data
  bin_dir: /usr/lib/postgresql/15/bin
  pgpass: /tmp/pgpass
  authentication:
    superuser: { username: scalelab, password: '${DB_PASSWORD}' }
    replication: { username: scalelab, password: '${DB_PASSWORD}' }
    rewind: { username: scalelab, password: '${DB_PASSWORD}' }
  parameters:
    recovery_min_apply_delay: '${APPLY_DELAY_MS:-0}ms'
  basebackup:
    - checkpoint: fast
    - no-sync
tags:
  nofailover: false
  noloadbalance: false
YAML
