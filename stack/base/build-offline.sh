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

. "$here/../offline-image.sh"
offline_image_ready "$tag"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
echo "building $tag"
offline_rootfs "$here/packages.txt" "$work/rootfs.tar" \
  --customize-hook='rm -f "$1"/etc/nginx/sites-enabled/default'
docker import \
  --change 'CMD ["bash"]' --change 'LABEL scalelab.role=base' \
  --change 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  "$work/rootfs.tar" "$tag"
echo "built $tag"
