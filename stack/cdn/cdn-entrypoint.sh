#!/bin/sh
# Renders nginx.conf: ORIGIN (the upstream), DYNAMIC_TTL_SECONDS (0: static files only; N: a
# product read, GET /products/ID, kept N seconds too), PURGE_TOKEN (what a purge must carry).
set -eu
ttl=${DYNAMIC_TTL_SECONDS:-0}
if [ "$ttl" -gt 0 ]; then
  # Only GET and HEAD are cached (nginx's default): a price change (PUT) passes to the origin.
  dynamic="        location ~ ^/products/[0-9]+\$ {\n            proxy_pass \$origin;\n            proxy_cache edge;\n            proxy_cache_valid 200 ${ttl}s;\n            proxy_cache_lock on;\n            access_log /dev/stdout edge;\n            add_header X-Edge-Cache \$upstream_cache_status always;\n        }"
else
  dynamic="        # product reads pass through (dynamic content not cached)"
fi
token=${PURGE_TOKEN:-}
[ -n "$token" ] || token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
sed -e "s/@ORIGIN@/${ORIGIN:-lb:80}/" -e "s|@DYNAMIC@|$dynamic|" -e "s/@PURGE_TOKEN@/$token/" \
  /opt/scalelab/nginx.conf.tmpl > /etc/nginx/nginx.conf
exec nginx -g 'daemon off;'
