#!/usr/bin/env bash
# Installs (from Debian's packages) and configures every real tool distrolix's tests and
# example use: Nix, podman with runc, skopeo, umoci, the distribution registry (and htpasswd,
# from apache2-utils, for its Basic-auth tests). Idempotent.
set -euo pipefail
pkgs=(nix-bin podman runc skopeo umoci docker-registry apache2-utils patchelf pigz zstd curl uidmap libarchive-tools debootstrap time)
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

# Debian 12's podman and skopeo are built without sigstore: the signing tests use Debian 13's,
# fetched beside them (nothing installed, cached; see testing/trixie-tools.sh).
"$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/trixie-tools.sh"
