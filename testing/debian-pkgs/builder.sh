# Builder for testing/debian-pkgs/default.nix (run by /bin/sh; the sandbox is off, so
# host tools are used: dpkg-deb, patchelf, cp, find, ...).
#
# Environment (from the derivation):
#   debs         .deb files to unpack (store paths)
#   deps         dependency outputs whose lib/ goes into the RUNPATH
#   glibc        glibc output providing the ELF interpreter ("" = this output is glibc)
#   isGlibc      "1": this output is glibc (interpreter = own ld.so; RUNPATH only
#                where a library needs a sibling besides libc.so.6)
#   postInstall  shell snippet run at the end, with $out filled
#
# Layout of $out: /usr/X and /X are merged into $out/X, lib/x86_64-linux-gnu/* is
# flattened into lib/, documentation is dropped. Absolute symlinks are made relative
# when their target exists inside $out, and removed otherwise (they would point to the
# host). Every ELF file except ld.so and libc.so.6 gets the interpreter
# $glibc/lib/ld-linux-x86-64.so.2 and RUNPATH "<own \$ORIGIN entries>:$out/lib:<deps>/lib:$glibc/lib",
# so Nix's reference scan sees exactly the libraries' store paths.
set -eu
PATH=/usr/bin:/bin
export PATH LC_ALL=C

root="$TMPDIR/root"
mkdir -p "$root" "$out"
for d in $debs; do
  dpkg-deb -x "$d" "$root"
done

# 1. layout: merge /usr into /, keep the useful top-level directories.
if [ -d "$root/usr" ]; then
  cp -a "$root/usr/." "$out/"
fi
for d in bin sbin lib lib64 libexec etc share; do
  if [ -d "$root/$d" ]; then
    mkdir -p "$out/$d"
    cp -a "$root/$d/." "$out/$d/"
  fi
done
if [ -d "$out/lib/x86_64-linux-gnu" ]; then
  cp -a "$out/lib/x86_64-linux-gnu/." "$out/lib/"
  rm -rf "$out/lib/x86_64-linux-gnu"
fi
rm -rf "$out/share/doc" "$out/share/man" "$out/share/info" "$out/share/lintian" \
       "$out/share/bug" "$out/share/doc-base" "$out/lib/debug" "$out/games" \
       "$out/local" "$out/include"

# 2. symlinks: absolute -> relative inside $out, or removed.
find "$out" -type l | while IFS= read -r l; do
  t="$(readlink "$l")"
  case "$t" in
    /*)
      m="$t"
      case "$m" in /usr/*) m="${m#/usr}" ;; esac
      case "$m" in /lib/x86_64-linux-gnu/*) m="/lib/${m#/lib/x86_64-linux-gnu/}" ;; esac
      if [ -e "$out$m" ] || [ -L "$out$m" ]; then
        rel="$(realpath -m -s --relative-to="$(dirname "$l")" "$out$m")"
        ln -sfn "$rel" "$l"
      else
        echo "builder: removing host symlink ${l#$out/} -> $t"
        rm -f "$l"
      fi
      ;;
  esac
done
# dangling relative links, or links leaving $out
find "$out" -type l | while IFS= read -r l; do
  r="$(realpath -m "$l")"
  case "$r" in
    "$out"/*) [ -e "$l" ] || { echo "builder: removing dangling symlink ${l#$out/}"; rm -f "$l"; } ;;
    *) echo "builder: removing symlink leaving \$out: ${l#$out/}"; rm -f "$l" ;;
  esac
done
# 3. relink ELF files.
if [ "${isGlibc:-}" != 1 ]; then interp="$glibc/lib/ld-linux-x86-64.so.2"; glibcLib="$glibc/lib"
else interp="$out/lib/ld-linux-x86-64.so.2"; glibcLib=""; fi
rpath="$out/lib"
for d in $deps; do rpath="$rpath:$d/lib"; done
[ -n "$glibcLib" ] && rpath="$rpath:$glibcLib"

elfmagic="$(printf '\177ELF')"
find "$out" -type f | while IFS= read -r f; do
  case "${f##*/}" in ld-linux-x86-64.so.2|libc.so.6) continue ;; esac
  [ "$(head -c 4 "$f")" = "$elfmagic" ] || continue
  chmod u+w "$f"
  if patchelf --print-interpreter "$f" >/dev/null 2>&1; then
    patchelf --set-interpreter "$interp" "$f"
  fi
  needed="$(patchelf --print-needed "$f" 2>/dev/null)" || needed=""
  [ -n "$needed" ] || continue
  old="$(patchelf --print-rpath "$f")"
  if [ "${isGlibc:-}" = 1 ]; then
    # glibc's own libraries: those without a RUNPATH (gconv modules have $ORIGIN) that
    # need a sibling other than libc/ld.so (libmvec -> libm, libnss_hesiod ->
    # libresolv) get RUNPATH $out/lib.
    if [ -z "$old" ] && [ -n "$(printf '%s\n' $needed | grep -v -x -e libc.so.6 -e ld-linux-x86-64.so.2)" ]; then
      patchelf --set-rpath "$out/lib" "$f"
    fi
  else
    keep=""
    # keep $ORIGIN-relative entries (the JRE finds its own libraries that way)
    oldIFS="$IFS"; IFS=:
    for e in $old; do
      case "$e" in '$ORIGIN'*) keep="$keep$e:" ;; esac
    done
    IFS="$oldIFS"
    patchelf --set-rpath "$keep$rpath" "$f"
  fi
done

# 4. package-specific steps.
if [ -n "${postInstall:-}" ]; then
  eval "$postInstall"
fi

# 5. empty directories left over (e.g. parents of removed docs); those under etc/ are
#    kept (nginx's conf.d, sites-enabled, modules-enabled).
find "$out" -mindepth 1 -depth -type d -empty ! -path "$out/etc" ! -path "$out/etc/*" -delete
