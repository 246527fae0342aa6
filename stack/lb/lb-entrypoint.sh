#!/bin/sh
# Renders the HAProxy config: LB_ALGORITHM, API_PORT, RATE_LIMIT_RPS (0 = off), LB_STICKY (1 = sticky
# sessions by an inserted cookie), LB_SECURITY_HEADERS (1 = the usual security headers on every
# response), LB_TLS (1 = HTTPS on :443 too, with a self-signed certificate made here for 127.0.0.1),
# LB_DNS (docker: Docker's embedded DNS; resolv.conf: the nameservers the container was given, as on
# Kubernetes) and API_HOST (the name every API instance answers to; HAProxy applies no search
# domains, so on Kubernetes the Service's full name), then runs it.
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
if [ "${LB_TLS:-0}" = 1 ]; then
  # A certificate of this container's own, for the address the host publishes it on. The engine
  # reads site.crt back to trust exactly this one; nothing here is for the outside world.
  if [ ! -f /run/haproxy/site.pem ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=scalelab-lb \
      -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
      -keyout /run/haproxy/site.key -out /run/haproxy/site.crt 2>/dev/null
    cat /run/haproxy/site.crt /run/haproxy/site.key > /run/haproxy/site.pem
  fi
  tls="    bind :443 ssl crt /run/haproxy/site.pem alpn http/1.1"
else
  tls="    # TLS off"
fi
if [ "${LB_DNS:-docker}" = resolv.conf ]; then
  nameserver="    parse-resolv-conf"
else
  nameserver="    nameserver dns 127.0.0.11:53"
fi
sed -e "s/@ALGORITHM@/${LB_ALGORITHM:-roundrobin}/" -e "s/@API_PORT@/${API_PORT:-3000}/" \
    -e "s/@MAX_INSTANCES@/${MAX_INSTANCES:-8}/" -e "s|@RATE_LIMIT@|$ratelimit|" \
    -e "s|@STICKY@|$sticky|" \
    -e "s|@SECURITY_HEADERS@|$security|" \
    -e "s|@TLS_BIND@|$tls|" \
    -e "s|@NAMESERVER@|$nameserver|" -e "s/@API_HOST@/${API_HOST:-api}/" \
    /opt/scalelab/haproxy.cfg.tmpl > "$cfg"
exec haproxy -W -db -f "$cfg"
