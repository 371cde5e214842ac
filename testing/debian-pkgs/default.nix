# A tiny stand-in for nixpkgs, made of Debian 12 binary packages.
#
# Each attribute is a real derivation named <pname>-<version> that unpacks Debian .deb
# files (downloaded by ./fetch-debs.sh into ./debs) and relinks every ELF file against
# the other derivations with patchelf, so Nix's reference scanning records the real
# runtime closure. No nixpkgs, no network: builders are /bin/sh plus host tools
# (the Nix sandbox is off on the project's machines).
#
#   ./fetch-debs.sh && nix-build testing/debian-pkgs -A nginx
#   NIX_PATH=nixpkgs=$PWD/testing/debian-pkgs nix-build '<nixpkgs>' -A nginx
#   import ./testing/debian-pkgs { }        # works too (all arguments have defaults)
#
# Systems: x86_64-linux (amd64 .debs from ./debs) and aarch64-linux (arm64 .debs from
# ./debs-arm64, DEB_ARCH=arm64 ./fetch-debs.sh). Every derivation's `system` is the one asked
# for, and its binaries are that system's (arm64 ones run on an x86_64 host only through qemu
# binfmt, with Nix's extra-platforms = aarch64-linux; testing/install-tools.sh sets both):
#   nix-build testing/debian-pkgs -A nginx --argstr system aarch64-linux
#
# Closures: nginx = nginx openssl pcre2 zlib libxcrypt glibc (6 paths);
#           nginxWithZlib2 = the same with zlib2 (1.2.13.1) instead of zlib (1.2.13).
{ system ? builtins.currentSystem
  # the .debs of `system`'s Debian architecture (see `arches` below)
, debsDir ? null
  # version string of the second zlib (same Debian library, plus a marker file);
  # null = "<Debian's zlib version>.1", e.g. 1.2.13.1
, zlib2Version ? null
, ...
}:

let
  # Nix system -> Debian architecture, multiarch folder (lib/<multiarch>) and ELF interpreter.
  arches = {
    x86_64-linux = {
      debArch = "amd64"; multiarch = "x86_64-linux-gnu"; ldso = "ld-linux-x86-64.so.2";
      defaultDebs = ./debs; fetch = "testing/debian-pkgs/fetch-debs.sh";
    };
    aarch64-linux = {
      debArch = "arm64"; multiarch = "aarch64-linux-gnu"; ldso = "ld-linux-aarch64.so.1";
      defaultDebs = ./debs-arm64; fetch = "DEB_ARCH=arm64 testing/debian-pkgs/fetch-debs.sh";
    };
  };
  arch = arches.${system} or (throw
    "testing/debian-pkgs: system '${system}' is not supported (only ${builtins.concatStringsSep " and " (builtins.attrNames arches)})");
  inherit (arch) debArch multiarch ldso;
  debsDir' = if debsDir != null then debsDir else arch.defaultDebs;

  versionsFile = debsDir' + "/versions.nix";
  versions =
    if builtins.pathExists versionsFile then import versionsFile
    else throw "testing/debian-pkgs: ${toString debsDir'} has no versions.nix; run ${arch.fetch} first";

  deb = pkg:
    let p = debsDir' + "/${pkg}.deb"; in
    if builtins.pathExists p then p
    else throw "testing/debian-pkgs: missing ${toString p}; run ${arch.fetch}";

  # mkDeb { pname; debs = [ "debian-package" ... ]; deps = [ drv ... ]; }
  # version defaults to the upstream version of the first .deb.
  mkDeb = { pname, debs, deps ? [ ], version ? versions.${builtins.head debs}
          , postInstall ? "", isGlibc ? false }:
    derivation {
      name = "${pname}-${version}";
      inherit pname version system postInstall deps debArch multiarch ldso;
      builder = "/bin/sh";
      args = [ "-e" ./builder.sh ];
      debs = map deb debs;
      glibc = if isGlibc then "" else glibc;
      isGlibc = if isGlibc then "1" else "";
      PATH = "/usr/bin:/bin";
    };

  glibc = mkDeb { pname = "glibc"; debs = [ "libc6" ]; isGlibc = true; };

  zlib = mkDeb { pname = "zlib"; debs = [ "zlib1g" ]; };

  # A second, different zlib: the same Debian library with another version string and
  # a marker file (Debian 12 offers only zlib 1.2.13). Used for "version changed" diffs.
  zlib2Version' = if zlib2Version != null then zlib2Version else "${versions."zlib1g"}.1";
  zlib2 = mkDeb {
    pname = "zlib";
    version = zlib2Version';
    debs = [ "zlib1g" ];
    postInstall = ''
      mkdir -p "$out/share/zlib"
      echo "distrolix test fixture: second zlib, version ${zlib2Version'}" > "$out/share/zlib/VARIANT"
    '';
  };

  pcre2 = mkDeb { pname = "pcre2"; debs = [ "libpcre2-8-0" ]; };
  libxcrypt = mkDeb { pname = "libxcrypt"; debs = [ "libcrypt1" ]; };
  openssl = mkDeb { pname = "openssl"; debs = [ "libssl3" ]; };

  # Debian's nginx: compiled-in paths /etc/nginx/nginx.conf, /var/log/nginx,
  # /var/lib/nginx (writable by its user), pid /run/nginx.pid; modules from
  # /usr/lib/nginx/modules. Binary at $out/bin/nginx ($out/sbin/nginx links to it),
  # configuration under $out/etc/nginx (mime.types, nginx.conf, ...).
  mkNginx = zlibDrv: mkDeb {
    pname = "nginx";
    debs = [ "nginx" "nginx-common" ];
    deps = [ openssl pcre2 zlibDrv libxcrypt ];
    postInstall = ''
      mkdir -p "$out/bin"
      mv "$out/sbin/nginx" "$out/bin/nginx"
      ln -s ../bin/nginx "$out/sbin/nginx"
      rm -rf "$out/etc/init.d" "$out/etc/logrotate.d" "$out/etc/ufw" "$out/etc/default" \
             "$out/lib/systemd" "$out/share/apport" "$out/share/vim"
    '';
  };
  nginx = mkNginx zlib;
  nginxWithZlib2 = mkNginx zlib2;

  # Debian's dynamic busybox, with an applet symlink for each entry of `busybox --list`.
  busybox = mkDeb {
    pname = "busybox";
    debs = [ "busybox" ];
    postInstall = ''
      rm -rf "$out/share/initramfs-tools"
      for a in $("$out/bin/busybox" --list); do
        case "$a" in busybox|*/*) ;; *) [ -e "$out/bin/$a" ] || ln -s busybox "$out/bin/$a" ;; esac
      done
      [ -x "$out/bin/sh" ]
    '';
  };

  xz = mkDeb { pname = "xz"; debs = [ "liblzma5" ]; };
  libunwind = mkDeb { pname = "libunwind"; debs = [ "libunwind8" ]; deps = [ xz ]; };
  strace = mkDeb { pname = "strace"; debs = [ "strace" ]; deps = [ libunwind ]; };

  # Shared-library dependencies of the JRE.
  gccLibs = mkDeb { pname = "gcc-libs"; debs = [ "libgcc-s1" "libstdc++6" ]; };
  libjpeg = mkDeb { pname = "libjpeg-turbo"; debs = [ "libjpeg62-turbo" ]; };
  lcms2 = mkDeb { pname = "lcms2"; debs = [ "liblcms2-2" ]; };
  brotli = mkDeb { pname = "brotli"; debs = [ "libbrotli1" ]; };
  libpng = mkDeb { pname = "libpng"; debs = [ "libpng16-16" ]; deps = [ zlib ]; };
  freetype = mkDeb { pname = "freetype"; debs = [ "libfreetype6" ]; deps = [ libpng brotli zlib ]; };
  graphite2 = mkDeb { pname = "graphite2"; debs = [ "libgraphite2-3" ]; };
  libffi = mkDeb { pname = "libffi"; debs = [ "libffi8" ]; };
  libselinux = mkDeb { pname = "libselinux"; debs = [ "libselinux1" ]; deps = [ pcre2 ]; };
  libblkid = mkDeb { pname = "libblkid"; debs = [ "libblkid1" ]; };
  libmount = mkDeb { pname = "libmount"; debs = [ "libmount1" ]; deps = [ libblkid libselinux ]; };
  glib = mkDeb { pname = "glib"; debs = [ "libglib2.0-0" ]; deps = [ libffi libmount pcre2 libselinux zlib ]; };
  harfbuzz = mkDeb { pname = "harfbuzz"; debs = [ "libharfbuzz0b" ]; deps = [ freetype glib graphite2 ]; };
  pcsclite = mkDeb { pname = "pcsclite"; debs = [ "libpcsclite1" ]; };
  alsa-lib = mkDeb { pname = "alsa-lib"; debs = [ "libasound2" "libasound2-data" ]; };

  # openjdk-17-jre-headless; JAVA_HOME is $out/lib/jvm/java-17-openjdk-<debArch> and
  # $out/bin holds links to its programs. Unresolved on purpose (headless): the X11
  # libraries of libawt_xawt.so/libsplashscreen.so, and lib/security/cacerts (a link
  # to the host's /etc/ssl/certs/java/cacerts, removed).
  jre = mkDeb {
    pname = "openjdk-jre-headless";
    debs = [ "openjdk-17-jre-headless" ];
    deps = [ zlib gccLibs libjpeg lcms2 freetype harfbuzz pcsclite alsa-lib ];
    postInstall = ''
      mkdir -p "$out/bin"
      for p in "$out"/lib/jvm/java-17-openjdk-${debArch}/bin/*; do
        ln -s "../lib/jvm/java-17-openjdk-${debArch}/bin/''${p##*/}" "$out/bin/''${p##*/}"
      done
      [ -x "$out/bin/java" ]
    '';
  };

  # Small helpers in the spirit of nixpkgs' trivial builders.
  writeText = name: text: derivation {
    inherit name text system;
    builder = "/bin/sh";
    args = [ "-c" "printf '%s' \"$text\" > \"$out\"" ];
  };
  runCommand = name: env: script: derivation ({
    inherit name system;
    builder = "/bin/sh";
    args = [ "-e" "-c" script ];
    PATH = "/usr/bin:/bin";
  } // env);

in {
  inherit glibc zlib zlib2 pcre2 libxcrypt openssl nginx nginxWithZlib2 busybox
    strace jre xz libunwind gccLibs libjpeg lcms2 brotli libpng freetype graphite2
    libffi libselinux libblkid libmount glib harfbuzz pcsclite alsa-lib
    writeText runCommand versions system debArch;
  # alias: the brief named the second zlib this way
  zlib_1_3 = zlib2;
}
