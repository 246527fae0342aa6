#!/usr/bin/env bash
# Offline builder of scalelab/base: mmdebstrap from Debian's packages, then `docker import`.
# For machines with no image registry (CI here). Gives the same package set as the Dockerfile.
#   stack/base/build-offline.sh            build (skips if the tag exists; FORCE=1 rebuilds)
#   stack/base/build-offline.sh --print-tag
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# Keep in step with baseImageTag() in app/core/runtime/images.ts (a unit test checks both agree).
tag="scalelab/base:$(grep -v '^#' "$here/packages.txt" | sha256sum | cut -c1-12)"
if [ "${1:-}" = "--print-tag" ]; then echo "$tag"; exit 0; fi

command -v mmdebstrap >/dev/null || { echo "mmdebstrap is missing: apt-get install -y mmdebstrap" >&2; exit 2; }
docker info >/dev/null 2>&1 || { echo "No Docker engine answers: start one (e.g. 'dockerd &' or 'systemctl start docker')" >&2; exit 2; }
if [ -z "${FORCE:-}" ] && docker image inspect "$tag" >/dev/null 2>&1; then
  echo "$tag already present"; exit 0
fi

mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
security=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
pkgs=$(grep -v '^#' "$here/packages.txt" | paste -sd, -)
echo "building $tag with mmdebstrap ($pkgs)"
# minbase: the same base set as debian:bookworm-slim (check-builders.sh compares the two).
mmdebstrap --variant=minbase --include="$pkgs" \
  --aptopt='APT::Install-Recommends "false"' \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias' \
  --customize-hook='rm -f "$1"/etc/nginx/sites-enabled/default' \
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/*' \
  bookworm "$work/rootfs.tar" \
  "deb $mirror bookworm main" "deb $mirror bookworm-updates main" "deb $security bookworm-security main"
docker import \
  --change 'CMD ["bash"]' --change 'LABEL scalelab.role=base' \
  --change 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  "$work/rootfs.tar" "$tag"
echo "built $tag"
