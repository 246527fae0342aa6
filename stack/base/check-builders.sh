#!/usr/bin/env bash
# Checks that the two builders of the base image give the same result: the same Debian packages
# at the same versions. Offline, debian:bookworm-slim cannot be pulled, so a stand-in for it is
# made the way that image is (a minbase bootstrap of bookworm) and the Dockerfile is built on it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
offline=$("$here/build-offline.sh" --print-tag)
"$here/build-offline.sh" >/dev/null
work=$(mktemp -d); trap 'rm -rf "$work"; docker rmi -f scalelab/check-debian:bookworm-slim scalelab/check-base:dockerfile >/dev/null 2>&1 || true' EXIT
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
if docker pull -q debian:bookworm-slim >/dev/null 2>&1; then
  standin=debian:bookworm-slim
else
  echo "no registry: making a stand-in for debian:bookworm-slim with mmdebstrap --variant=minbase"
  mmdebstrap --quiet --variant=minbase bookworm "$work/slim.tar" "deb $mirror bookworm main" "deb $mirror bookworm-updates main" \
    "deb ${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security} bookworm-security main"
  docker import "$work/slim.tar" scalelab/check-debian:bookworm-slim >/dev/null
  standin=scalelab/check-debian:bookworm-slim
fi
docker build -q --build-arg DEBIAN="$standin" -t scalelab/check-base:dockerfile "$here" >/dev/null
list() { docker run --rm "$1" dpkg-query -W -f '${Package} ${Version}\n' | sort; }
list "$offline" > "$work/offline.txt"
list scalelab/check-base:dockerfile > "$work/dockerfile.txt"
if diff -u "$work/offline.txt" "$work/dockerfile.txt" > "$work/diff.txt"; then
  echo "same result: $(wc -l < "$work/offline.txt") packages, same versions, in $offline and the Dockerfile build"
else
  echo "the builders differ (- offline, + Dockerfile):"; grep '^[-+][^-+]' "$work/diff.txt"; exit 1
fi
