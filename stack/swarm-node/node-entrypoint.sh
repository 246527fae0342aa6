#!/bin/sh
# A Swarm node: dockerd in this (privileged) container, its data on the volume at /var/lib/docker.
# NODE_INSECURE_REGISTRY: the manager's registry, trusted over plain HTTP as a real node would be
# configured to (app/core/swarm/registry.ts says why).
set -e
exec dockerd --host=unix:///var/run/docker.sock \
  ${NODE_INSECURE_REGISTRY:+--insecure-registry "$NODE_INSECURE_REGISTRY"} \
  --storage-driver=overlay2 --log-level=warn
