#!/bin/sh
set -eu
sed -e "s/@ORIGIN@/${ORIGIN:-lb:80}/" /opt/scalelab/nginx.conf.tmpl > /etc/nginx/nginx.conf
exec nginx -g 'daemon off;'
