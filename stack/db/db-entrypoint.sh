#!/bin/sh
# Starts PostgreSQL as the primary or as a streaming replica of $DB_PRIMARY.
#   DB_ROLE=primary|replica  DB_PASSWORD or DB_PASSWORD_FILE (roles scalelab and app)  DB_PRIMARY (replica only)
#   APPLY_DELAY_MS (replica only): recovery_min_apply_delay, to make lag visible
#   MAX_CONNECTIONS (primary only; replicas keep postgresql.conf's 200, as a hot standby needs at
#     least the primary's)  POOL_SIZE POOL_MODE: PgBouncer's, on port 6432; postgres_exporter on 9187
#   HA=1: Patroni runs PostgreSQL instead (patroni-config.sh): it bootstraps or joins the cluster
#     whose leader key is in etcd (ETCD_HOSTS), whatever DB_ROLE says.
set -eu
DATA=/var/lib/postgresql/data
as_pg() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }
# A Docker secret on the Swarm target: the password from the file DB_PASSWORD_FILE names.
if [ -n "${DB_PASSWORD_FILE:-}" ]; then DB_PASSWORD=$(cat "$DB_PASSWORD_FILE"); export DB_PASSWORD; fi
: "${DB_PASSWORD:?DB_PASSWORD must be set}"
chown postgres:postgres "$DATA"; chmod 700 "$DATA"

if [ "${HA:-0}" = 1 ]; then
  mkdir -p /etc/patroni
  /opt/scalelab/patroni-config.sh
  chown -R postgres:postgres /etc/patroni
elif [ "${DB_ROLE:-primary}" = primary ]; then
  if [ ! -s "$DATA/PG_VERSION" ]; then cp -a /opt/pg-template/. "$DATA/"; fi
  # Single-user mode sets the stack's own password before the server listens; not on a data
  # directory pgBackRest just restored (recovery.signal): the server must replay WAL first.
  if [ ! -f "$DATA/recovery.signal" ]; then
    printf "ALTER ROLE scalelab PASSWORD '%s';\nALTER ROLE app PASSWORD '%s';\n" "$DB_PASSWORD" "$DB_PASSWORD" \
      | as_pg postgres --single -D "$DATA" postgres >/dev/null
  fi
else
  : "${DB_PRIMARY:?DB_PRIMARY must be set for a replica}"
  if [ ! -s "$DATA/PG_VERSION" ]; then
    echo "replica: waiting for $DB_PRIMARY"
    i=0; until pg_isready -q -h "$DB_PRIMARY" -U scalelab; do i=$((i+1)); [ $i -lt 300 ] || { echo "primary $DB_PRIMARY never answered" >&2; exit 1; }; sleep 0.2; done
    echo "replica: pg_basebackup from $DB_PRIMARY"
    rm -rf "$DATA"/* 2>/dev/null || true
    PGPASSWORD="$DB_PASSWORD" as_pg pg_basebackup -h "$DB_PRIMARY" -U scalelab -D "$DATA" -R -X stream -c fast --no-sync
  fi
  # Written once here; the engine changes it live with ALTER SYSTEM (postgresql.auto.conf wins).
  sed -i '/^recovery_min_apply_delay/d' "$DATA/postgresql.conf"
  echo "recovery_min_apply_delay = '${APPLY_DELAY_MS:-0}ms'" >> "$DATA/postgresql.conf"
  sed -i "s/^primary_conninfo = .*/primary_conninfo = 'host=$DB_PRIMARY user=scalelab password=$DB_PASSWORD application_name=${INSTANCE_NAME:-replica}'/" "$DATA/postgresql.auto.conf"
fi
# pgBackRest (database.backups): its repository is a volume of its own at /var/lib/pgbackrest.
mkdir -p /etc/pgbackrest /var/lib/pgbackrest /var/log/pgbackrest
chown postgres:postgres /var/lib/pgbackrest /var/log/pgbackrest
cat > /etc/pgbackrest/pgbackrest.conf <<CONF
[global]
repo1-path=/var/lib/pgbackrest
repo1-retention-full=2
start-fast=y
log-level-file=off
[scalelab]
pg1-path=$DATA
pg1-socket-path=/run/postgresql
pg1-user=postgres
CONF
# PgBouncer beside PostgreSQL (a child of the container's init: it goes when PostgreSQL does).
umask 077
printf '"scalelab" "%s"\n"app" "%s"\n' "$DB_PASSWORD" "$DB_PASSWORD" > /etc/pgbouncer/userlist.txt
umask 022
chown postgres:postgres /etc/pgbouncer/userlist.txt
as_pg /opt/scalelab/pooler-config.sh "${POOL_SIZE:-20}" "${POOL_MODE:-transaction}"
# A container started again keeps its files: PgBouncer's pidfile from the last run may name a PID
# that another process holds now, and PgBouncer would refuse to start ("already running").
rm -f /run/postgresql/pgbouncer.pid
as_pg pgbouncer /etc/pgbouncer/pgbouncer.ini &
# postgres_exporter on port 9187 (Prometheus metrics: lag, connections, transactions, locks),
# over the local socket, which PostgreSQL trusts; exporter-queries.yaml adds the replay lag.
DATA_SOURCE_NAME="host=/run/postgresql user=scalelab dbname=scalelab sslmode=disable" \
  as_pg prometheus-postgres-exporter --web.listen-address=:9187 --log.level=warn \
  --extend.query-path=/opt/scalelab/exporter-queries.yaml &

if [ "${HA:-0}" = 1 ]; then
  exec setpriv --reuid=postgres --regid=postgres --init-groups patroni /etc/patroni/scalelab.yml
fi
if [ "${DB_ROLE:-primary}" = primary ]; then
  exec setpriv --reuid=postgres --regid=postgres --init-groups postgres -D "$DATA" -c "max_connections=${MAX_CONNECTIONS:-100}"
fi
exec setpriv --reuid=postgres --regid=postgres --init-groups postgres -D "$DATA"
