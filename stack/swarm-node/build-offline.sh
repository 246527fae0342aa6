#!/usr/bin/env bash
# Offline builder of scalelab/swarm-node (a Docker engine in a container, for the multi-node Swarm
# tests): mmdebstrap from Debian's packages, then `docker import`, as stack/base/build-offline.sh.
#   stack/swarm-node/build-offline.sh              build (skips if the tag exists; FORCE=1 rebuilds)
#   stack/swarm-node/build-offline.sh --print-tag
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tag="scalelab/swarm-node:$(cat "$here/packages.txt" "$here/node-entrypoint.sh" | sha256sum | cut -c1-12)"
if [ "${1:-}" = "--print-tag" ]; then echo "$tag"; exit 0; fi

. "$here/../offline-image.sh"
offline_image_ready "$tag"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
echo "building $tag"
offline_rootfs "$here/packages.txt" "$work/rootfs.tar" \
  --customize-hook="copy-in $here/node-entrypoint.sh /usr/local/bin"
docker import \
  --change 'ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/node-entrypoint.sh"]' \
  --change 'LABEL scalelab.role=swarm-node' \
  --change 'VOLUME /var/lib/docker' \
  "$work/rootfs.tar" "$tag"
echo "built $tag"
