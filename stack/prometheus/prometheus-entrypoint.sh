#!/bin/sh
# Starts Prometheus on :9090 with /etc/scalelab/prometheus.yml, targets.json and alert-rules.yml.
# The engine gives them in PROMETHEUS_YML, TARGETS_JSON and ALERT_RULES; the compose export mounts
# them instead. --web.enable-lifecycle: the engine reloads changed files with POST /-/reload.
# Firing alerts are sent again every 2 s (not every minute): one sent while Alertmanager was
# not yet found (just after a reload) would otherwise reach it a minute late.
set -eu
dir=/etc/scalelab
[ -n "${PROMETHEUS_YML:-}" ] && printf '%s' "$PROMETHEUS_YML" > "$dir/prometheus.yml"
[ -n "${TARGETS_JSON:-}" ] && printf '%s' "$TARGETS_JSON" > "$dir/targets.json"
[ -n "${ALERT_RULES:-}" ] && printf '%s' "$ALERT_RULES" > "$dir/alert-rules.yml"
exec prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path=/var/lib/scalelab-prometheus \
  --storage.tsdb.retention.time=6h --web.listen-address=:9090 --web.enable-lifecycle --log.level=warn \
  --rules.alert.resend-delay=2s
