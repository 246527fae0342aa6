#!/usr/bin/env bash
# Offline builder of scalelab/swarm-node (a Docker engine in a container, for the multi-node Swarm
# tests): mmdebstrap from Debian's packages, then `docker import`, as stack/base/build-offline.sh.
#   stack/swarm-node/build-offline.sh              build (skips if the tag exists; FORCE=1 rebuilds)
#   stack/swarm-node/build-offline.sh --print-tag
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tag="scalelab/swarm-node:$(cat "$here/packages.txt" "$here/node-entrypoint.sh" | sha256sum | cut -c1-12)"
if [ "${1:-}" = "--print-tag" ]; then echo "$tag"; exit 0; fi

command -v mmdebstrap >/dev/null || { echo "mmdebstrap is missing: apt-get install -y mmdebstrap" >&2; exit 2; }
docker info >/dev/null 2>&1 || { echo "No Docker engine answers: start one (e.g. 'dockerd &')" >&2; exit 2; }
if [ -z "${FORCE:-}" ] && docker image inspect "$tag" >/dev/null 2>&1; then
  echo "$tag already present"; exit 0
fi

mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
security=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
pkgs=$(grep -v '^#' "$here/packages.txt" | paste -sd, -)
echo "building $tag with mmdebstrap ($pkgs)"
mmdebstrap --variant=minbase --include="$pkgs" \
  --aptopt='APT::Install-Recommends "false"' \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --customize-hook="copy-in $here/node-entrypoint.sh /usr/local/bin" \
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/*' \
  bookworm "$work/rootfs.tar" \
  "deb $mirror bookworm main" "deb $mirror bookworm-updates main" "deb $security bookworm-security main"
docker import \
  --change 'ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/node-entrypoint.sh"]' \
  --change 'LABEL scalelab.role=swarm-node' \
  --change 'VOLUME /var/lib/docker' \
  "$work/rootfs.tar" "$tag"
echo "built $tag"
