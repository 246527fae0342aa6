# Sourced by the offline image builders (stack/base/, stack/swarm-node/): a Debian bookworm root
# filesystem made by mmdebstrap from Debian's own packages, for machines with no image registry.
#   offline_image_ready TAG          exits the builder when TAG is there (unless FORCE=1), after
#                                    checking that mmdebstrap and a Docker engine are here
#   offline_rootfs PACKAGES OUT ...  minbase with the packages file's list (no recommends, no docs);
#                                    further arguments go to mmdebstrap (hooks)

offline_image_ready() {
  command -v mmdebstrap >/dev/null || { echo "mmdebstrap is missing: apt-get install -y mmdebstrap" >&2; exit 2; }
  docker info >/dev/null 2>&1 || { echo "No Docker engine answers: start one (e.g. 'dockerd &' or 'systemctl start docker')" >&2; exit 2; }
  if [ -z "${FORCE:-}" ] && docker image inspect "$1" >/dev/null 2>&1; then
    echo "$1 already present"; exit 0
  fi
}

offline_rootfs() {
  local packages=$1 out=$2; shift 2
  local mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
  local security=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
  local pkgs; pkgs=$(grep -v '^#' "$packages" | paste -sd, -)
  echo "mmdebstrap ($pkgs)"
  # minbase: the same base set as debian:bookworm-slim (stack/base/check-builders.sh compares them).
  mmdebstrap --variant=minbase --include="$pkgs" \
    --aptopt='APT::Install-Recommends "false"' \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/*' \
    "$@" \
    bookworm "$out" \
    "deb $mirror bookworm main" "deb $mirror bookworm-updates main" "deb $security bookworm-security main"
}
