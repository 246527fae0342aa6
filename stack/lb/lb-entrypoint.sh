#!/bin/sh
# Renders the HAProxy config: LB_ALGORITHM, API_PORT, RATE_LIMIT_RPS (0 = off), then runs it.
set -eu
cfg=/run/haproxy/haproxy.cfg
rate=${RATE_LIMIT_RPS:-0}
if [ "$rate" -gt 0 ]; then
  ratelimit="    stick-table type ip size 100k expire 10s store http_req_rate(1s)\n    http-request track-sc0 src\n    http-request deny deny_status 429 if { sc_http_req_rate(0) gt $rate }"
else
  ratelimit="    # rate limit off"
fi
sed -e "s/@ALGORITHM@/${LB_ALGORITHM:-roundrobin}/" -e "s/@API_PORT@/${API_PORT:-3000}/" \
    -e "s/@MAX_INSTANCES@/${MAX_INSTANCES:-8}/" -e "s|@RATE_LIMIT@|$ratelimit|" \
    /opt/scalelab/haproxy.cfg.tmpl > "$cfg"
exec haproxy -W -db -f "$cfg"
