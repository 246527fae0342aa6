#!/bin/sh
# Starts one etcd member.  INSTANCE_NAME: this member (etcd-1...)  ETCD_MEMBERS: every member's name,
# comma-separated, each reachable by that name on the stack network (peers on 2380, clients on 2379).
set -eu
: "${INSTANCE_NAME:?}" "${ETCD_MEMBERS:?}"
cluster=$(echo "$ETCD_MEMBERS" | tr ',' '\n' | sed 's|.*|&=http://&:2380|' | paste -sd, -)
# Short heartbeats: a lost member is noticed in a second or two, as the lesson needs.
exec etcd --name "$INSTANCE_NAME" --data-dir /var/lib/etcd \
  --listen-client-urls http://0.0.0.0:2379 --advertise-client-urls "http://$INSTANCE_NAME:2379" \
  --listen-peer-urls http://0.0.0.0:2380 --initial-advertise-peer-urls "http://$INSTANCE_NAME:2380" \
  --initial-cluster "$cluster" --initial-cluster-state new --initial-cluster-token scalelab \
  --heartbeat-interval 200 --election-timeout 2000 --log-level warn
