# distrolix itself as a store path: the CLI's one jar (target/distrolix.jar, from `mvn package`: the CLI,
# the library and every dependency) and an argument file for java, so that the image's entrypoint is
# `java @FILE` and needs no shell.
{ pkgs ? import <nixpkgs> { }, target ? ../../distrolix-cli/target }:
let
  # Only the jar: not classes/, the start-up archives or test output (a new build of those would make a
  # new store path for nothing).
  jar = builtins.path {
    name = "distrolix-jar";
    path = target;
    filter = path: type: type == "regular" && baseNameOf path == "distrolix.jar";
  };
in
pkgs.runCommand "distrolix-0.1.0" { inherit jar; } ''
  mkdir -p $out/share/distrolix
  cp $jar/distrolix.jar $out/share/distrolix/
  # two of bin/distrolix's options, its memory ones: the serial collector (a CLI run is short and single-heap) and a
  # 32 MB young generation (otherwise a third of 1/64 of the machine's memory, all of it touched: ~100 MB more RSS)
  printf '%s\n' -XX:+UseSerialGC -Xmn32m -XX:TieredStopAtLevel=4 -cp "$out/share/distrolix/distrolix.jar" \
    dev.distrolix.cli.Distrolix > $out/share/distrolix/java.args
''
