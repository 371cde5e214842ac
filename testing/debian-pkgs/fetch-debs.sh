#!/usr/bin/env bash
# Downloads the Debian 12 .deb files that default.nix unpacks into Nix store paths.
#
#   testing/debian-pkgs/fetch-debs.sh                  # amd64 -> debs/        (x86_64-linux)
#   DEB_ARCH=arm64 testing/debian-pkgs/fetch-debs.sh   # arm64 -> debs-arm64/  (aarch64-linux)
#
# - Files land in testing/debian-pkgs/debs/<package>.deb (debs-<arch>/ for another DEB_ARCH;
#   simple stable names: Nix path literals reject the "%3a" and "~" found in Debian's own
#   file names).
# - A foreign architecture (arm64 on an amd64 machine) is downloaded as <package>:arm64, or
#   <package>:all for "Architecture: all" packages; dpkg must know the architecture
#   (testing/install-tools.sh runs `dpkg --add-architecture arm64`; as root this script does
#   it too). Every .deb is checked to be of DEB_ARCH (or all), and its version against the
#   amd64 set in debs/ when that exists (same Debian version, binNMU "+bN" aside).
# - Idempotent: a package whose debs/<package>.deb exists is not downloaded again.
# - Runs `apt-get download`; only if that fails does it run `apt-get update` and retry.
# - Writes debs/versions.nix (package -> upstream version, valid in a store path name)
#   and debs/versions.txt (package, full Debian version, upstream version).
# Silent on success; one line on stderr and a non-zero exit on failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
arch="${DEB_ARCH:-amd64}"
case "$arch" in
  amd64) dest="$here/debs" ;;
  arm64) dest="$here/debs-$arch" ;;
  *) echo "fetch-debs: DEB_ARCH=$arch is not supported (amd64 or arm64)" >&2; exit 1 ;;
esac

# Every .deb default.nix uses (Debian package names).
PACKAGES=(
  libc6 zlib1g libpcre2-8-0 libcrypt1 libssl3
  nginx nginx-common
  busybox
  strace libunwind8 liblzma5
  openjdk-17-jre-headless
  libgcc-s1 libstdc++6 libjpeg62-turbo liblcms2-2 libfreetype6 libpng16-16 libbrotli1
  libharfbuzz0b libglib2.0-0 libgraphite2-3 libffi8 libmount1 libblkid1 libselinux1
  libpcsclite1 libasound2 libasound2-data
)

die() { echo "fetch-debs: $*" >&2; exit 1; }

for tool in apt-get dpkg-deb; do
  command -v "$tool" >/dev/null 2>&1 || die "missing '$tool' (this script needs Debian's apt)"
done

native="$(dpkg --print-architecture)"
if [ "$arch" != "$native" ] && ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
  [ "$(id -u)" -eq 0 ] \
    || die "dpkg does not know the $arch architecture: run testing/install-tools.sh as root (dpkg --add-architecture $arch)"
  dpkg --add-architecture "$arch" || die "dpkg --add-architecture $arch failed"
  apt-get update -q >/dev/null 2>&1 || die "apt-get update failed (see: apt-get update)"
fi

mkdir -p "$dest" || die "cannot create $dest"

missing=()
for p in "${PACKAGES[@]}"; do
  [ -s "$dest/$p.deb" ] || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
  tmp="$(mktemp -d "$dest/.download.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  # apt's download sandbox user (_apt) must be able to write into the directory.
  chmod 0777 "$tmp"
  log="$tmp/apt.log"
  # The names to ask apt for: plain ones for the machine's own architecture, else
  # <pkg>:<arch>, or <pkg>:all for "Architecture: all" packages (one apt-cache call for all).
  qualified() {
    if [ "$arch" = "$native" ]; then printf '%s\n' "${missing[@]}"; return; fi
    local all
    all="$(apt-cache show --no-all-versions "${missing[@]}" 2>>"$log" \
      | awk '/^Package:/ { p = $2 } /^Architecture: all$/ { print p }' | sort -u)" || return 1
    local p
    for p in "${missing[@]}"; do
      if printf '%s\n' "$all" | grep -qx -- "$p"; then echo "$p:all"; else echo "$p:$arch"; fi
    done
  }
  download() {
    local names
    names="$(qualified)" || return 1
    # shellcheck disable=SC2046 # one package name per line, no blanks in them
    (cd "$tmp" && apt-get download -q $names) >>"$log" 2>&1
  }
  if ! download; then
    apt-get update -q >>"$log" 2>&1 || die "apt-get update failed (see: apt-get update)"
    download || die "apt-get download failed: $(grep -m1 -E '^(E|W):' "$log" || tail -n1 "$log")"
  fi
  for p in "${missing[@]}"; do
    # apt-get download names files <pkg>_<version, ':' as %3a>_<arch>.deb
    f="$(find "$tmp" -maxdepth 1 -name "${p}_*.deb" -print -quit)"
    [ -n "$f" ] || die "apt-get download produced no file for $p"
    [ "$(dpkg-deb -f "$f" Package)" = "$p" ] || die "unexpected package in $f"
    a="$(dpkg-deb -f "$f" Architecture)"
    [ "$a" = "$arch" ] || [ "$a" = all ] || die "$f is for architecture $a, not $arch"
    mv -f "$f" "$dest/$p.deb"
  done
  rm -rf "$tmp"
  trap - EXIT
fi

# Debian version -> upstream version usable in a store path name ([A-Za-z0-9+._-]):
# drop the epoch "N:", the Debian revision "-R", a "+dfsg"/".dfsg"/"~ds"... repack
# suffix, then replace anything else invalid by "_".
upstream() {
  local v="$1"
  v="${v#*:}"
  case "$v" in *-*) v="${v%-*}" ;; esac
  v="$(printf '%s' "$v" | sed -E 's/[.+~](dfsg|ds|repack)[0-9]*.*$//; s/[^A-Za-z0-9+._-]/_/g')"
  printf '%s' "$v"
}

# Another architecture must have the amd64 set's versions (default.nix builds both from the
# same expressions); a binNMU suffix "+bN" may differ between architectures.
if [ "$arch" != amd64 ] && [ -s "$here/debs/versions.txt" ]; then
  while read -r p full _; do
    [ -s "$dest/$p.deb" ] || continue
    mine="$(dpkg-deb -f "$dest/$p.deb" Version)" || die "cannot read $dest/$p.deb"
    [ "${mine%+b[0-9]*}" = "${full%+b[0-9]*}" ] || die "$p is $mine for $arch but $full in debs/:" \
      "Debian moved on; fetch both again (rm -rf $here/debs $dest; $0; DEB_ARCH=$arch $0)"
  done <"$here/debs/versions.txt"
fi

nix_tmp="$(mktemp "$dest/.versions.nix.XXXXXX")"
txt_tmp="$(mktemp "$dest/.versions.txt.XXXXXX")"
{
  echo "# Generated by fetch-debs.sh: Debian package -> upstream version (store-name safe)."
  echo "{"
  for p in "${PACKAGES[@]}"; do
    full="$(dpkg-deb -f "$dest/$p.deb" Version)" || die "cannot read $dest/$p.deb"
    printf '  "%s" = "%s";\n' "$p" "$(upstream "$full")"
    printf '%s %s %s\n' "$p" "$full" "$(upstream "$full")" >>"$txt_tmp"
  done
  echo "}"
} >"$nix_tmp"
# Only replace when changed, so that repeated runs touch nothing.
for f in versions.nix versions.txt; do
  t="$nix_tmp"; [ "$f" = versions.txt ] && t="$txt_tmp"
  if cmp -s "$t" "$dest/$f"; then rm -f "$t"; else mv -f "$t" "$dest/$f"; fi
done
chmod 0644 "$dest/versions.nix" "$dest/versions.txt"
