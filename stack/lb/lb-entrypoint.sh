#!/bin/sh
# Renders the HAProxy config: LB_ALGORITHM, API_PORT, RATE_LIMIT_RPS (0 = off), LB_STICKY (1 = sticky
# sessions by an inserted cookie), LB_SECURITY_HEADERS (1 = the usual security headers on every
# response), then runs it.
set -eu
cfg=/run/haproxy/haproxy.cfg
rate=${RATE_LIMIT_RPS:-0}
if [ "$rate" -gt 0 ]; then
  ratelimit="    stick-table type ip size 100k expire 10s store http_req_rate(1s)\n    http-request track-sc0 src\n    http-request deny deny_status 429 if { sc_http_req_rate(0) gt $rate }"
else
  ratelimit="    # rate limit off"
fi
if [ "${LB_STICKY:-0}" = 1 ]; then
  # The server-template's servers have no names of their own: each one's cookie value is a hash
  # of its address and this key (HAProxy's dynamic cookies). A dead server's clients are redispatched.
  sticky="    cookie SCALELAB_SERVER insert indirect nocache httponly dynamic\n    dynamic-cookie-key scalelab"
else
  sticky="    # sticky sessions off"
fi
if [ "${LB_SECURITY_HEADERS:-0}" = 1 ]; then
  # What a security scanner asks of every response; HSTS only binds a browser over HTTPS.
  security="    http-response set-header X-Content-Type-Options nosniff\n    http-response set-header X-Frame-Options DENY\n    http-response set-header Referrer-Policy no-referrer\n    http-response set-header Content-Security-Policy \"default-src 'none'; frame-ancestors 'none'\"\n    http-response set-header Strict-Transport-Security \"max-age=31536000; includeSubDomains\"\n    http-response del-header Server"
else
  security="    # security headers off"
fi
sed -e "s/@ALGORITHM@/${LB_ALGORITHM:-roundrobin}/" -e "s/@API_PORT@/${API_PORT:-3000}/" \
    -e "s/@MAX_INSTANCES@/${MAX_INSTANCES:-8}/" -e "s|@RATE_LIMIT@|$ratelimit|" \
    -e "s|@STICKY@|$sticky|" \
    -e "s|@SECURITY_HEADERS@|$security|" \
    /opt/scalelab/haproxy.cfg.tmpl > "$cfg"
exec haproxy -W -db -f "$cfg"
