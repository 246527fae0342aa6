#!/bin/sh
# cache role: Redis from a config file written at the container's first start from the environment
# (memory, eviction, persistence). The engine changes settings live with CONFIG SET and then CONFIG
# REWRITE, so a restarted container keeps them: with appendonly switched on live, Redis reads its
# AOF back after a restart instead of starting empty.
set -eu
conf=/var/lib/redis/scalelab.conf
if [ ! -f "$conf" ]; then
  cat > "$conf" <<CONF
bind 0.0.0.0
protected-mode no
save ""
appendonly ${APPENDONLY:-no}
appendfsync everysec
dir /var/lib/redis
maxmemory ${MAXMEMORY:-64mb}
maxmemory-policy ${EVICTION_POLICY:-allkeys-lru}
CONF
fi
# A Docker secret on the Swarm target: the password from the file REDIS_PASSWORD_FILE names.
if [ -n "${REDIS_PASSWORD_FILE:-}" ]; then REDIS_PASSWORD=$(cat "$REDIS_PASSWORD_FILE"); fi
# REDIS_PASSWORD (generated per stack) becomes requirepass: the port is loopback-only, but other
# local users exist on shared machines.
if [ -n "${REDIS_PASSWORD:-}" ]; then exec redis-server "$conf" --requirepass "$REDIS_PASSWORD"; fi
exec redis-server "$conf"
