#!/bin/sh
# Patroni's custom bootstrap (database.ha): the new cluster is a copy of the template initialised at
# build time, with this stack's password set in single-user mode before the server listens.
set -eu
DATA=/var/lib/postgresql/data
cp -a /opt/pg-template/. "$DATA/"
printf "ALTER ROLE scalelab PASSWORD '%s';\nALTER ROLE app PASSWORD '%s';\n" "$DB_PASSWORD" "$DB_PASSWORD" \
  | postgres --single -D "$DATA" postgres >/dev/null
