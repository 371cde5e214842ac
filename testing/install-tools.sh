#!/usr/bin/env bash
# Installs (from Debian's packages) and configures every real tool distrolix's tests and
# example use: Nix, podman with runc, skopeo, umoci, the distribution registry (and htpasswd,
# from apache2-utils, for its Basic-auth tests), and qemu user emulation so that Nix builds and
# podman runs aarch64-linux (arm64) programs. Idempotent.
set -euo pipefail
pkgs=(nix-bin podman runc skopeo umoci docker-registry apache2-utils patchelf pigz zstd curl uidmap libarchive-tools debootstrap time python3 gcc zlib1g-dev libssl-dev liblzma-dev libisal-dev
  qemu-user-static)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-tools: missing packages ${missing[*]}; run as root or: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# kubectl: the debug tests check its "no cluster" error. Some machines ship one (e.g. with a
# cloud SDK); elsewhere Debian's kubernetes-client provides it.
if ! command -v kubectl >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-tools: kubectl is missing; run as root or: sudo apt-get install kubernetes-client" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq kubernetes-client >/dev/null
fi

# podman here: crun cannot run ("cgroups in hybrid mode not supported") and the default
# ulimits exceed what the sandbox may set, so use runc and modest ulimits.
if [ "$(id -u)" -eq 0 ]; then
  mkdir -p /etc/containers/containers.conf.d
  cat > /etc/containers/containers.conf.d/50-distrolix.conf <<'CONF'
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]

[engine]
runtime = "runc"
CONF
fi

# arm64 (aarch64-linux): qemu user emulation through binfmt_misc, Debian's arm64 packages for
# testing/debian-pkgs (DEB_ARCH=arm64 fetch-debs.sh), and Nix allowed to build aarch64-linux
# derivations (it then runs their programs through binfmt). The binfmt registration is kernel
# state, gone on a fresh machine or after a reboot: checked (and redone) on every run.
# Flags must contain F ("fix binary": the kernel opens the interpreter at registration), so that
# arm64 programs also start in containers whose root has no qemu. See testing/README.md.
binfmt=/proc/sys/fs/binfmt_misc
need_root() {
  echo "install-tools: $1; run testing/install-tools.sh as root" >&2
  exit 1
}
if [ ! -e "$binfmt/register" ]; then
  [ "$(id -u)" -eq 0 ] || need_root "binfmt_misc is not mounted on $binfmt"
  mount -t binfmt_misc binfmt_misc "$binfmt" ||
    { echo "install-tools: cannot mount binfmt_misc on $binfmt" >&2; exit 1; }
fi
if [ ! -e "$binfmt/qemu-aarch64" ]; then
  [ "$(id -u)" -eq 0 ] || need_root "qemu-aarch64 is not registered with binfmt_misc"
  conf=/usr/lib/binfmt.d/qemu-aarch64.conf
  [ -s "$conf" ] || { echo "install-tools: $conf is missing (apt-get install --reinstall qemu-user-static)" >&2; exit 1; }
  cat "$conf" > "$binfmt/register" ||
    { echo "install-tools: registering $conf with binfmt_misc failed" >&2; exit 1; }
fi
if ! grep -qx enabled "$binfmt/status" 2>/dev/null; then
  [ "$(id -u)" -eq 0 ] || need_root "binfmt_misc is disabled ($binfmt/status)"
  echo 1 > "$binfmt/status"
fi
if ! grep -qx enabled "$binfmt/qemu-aarch64" ||
   ! grep -Eq '^flags: *[A-Z]*F' "$binfmt/qemu-aarch64" ||
   ! [ -x "$(sed -n 's/^interpreter //p' "$binfmt/qemu-aarch64")" ]; then
  echo "install-tools: $binfmt/qemu-aarch64 must be enabled, with flags containing F and an existing interpreter; it says:" \
    "$(tr '\n' ' ' < "$binfmt/qemu-aarch64")" >&2
  exit 1
fi
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  [ "$(id -u)" -eq 0 ] || need_root "dpkg does not know the arm64 architecture (dpkg --add-architecture arm64)"
  dpkg --add-architecture arm64
  apt-get update -qq
fi
nixconf=/etc/nix/nix.conf
if ! grep -Eq '^[[:space:]]*(extra-)?platforms[[:space:]]*=(.*[[:space:]])?aarch64-linux([[:space:]]|$)' "$nixconf" 2>/dev/null; then
  [ "$(id -u)" -eq 0 ] || need_root "$nixconf lacks 'extra-platforms = aarch64-linux'"
  mkdir -p "${nixconf%/*}"
  # a file without a final newline would glue our line to its last one
  if [ -s "$nixconf" ] && [ -n "$(tail -c1 "$nixconf")" ]; then echo >> "$nixconf"; fi
  echo 'extra-platforms = aarch64-linux' >> "$nixconf"
fi

# Debian 12's podman and skopeo are built without sigstore: the signing tests use Debian 13's,
# fetched beside them (nothing installed, cached; see testing/trixie-tools.sh).
"$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/trixie-tools.sh"
