# distrolix itself as a store path: the CLI's jar and its libraries (from `mvn package`) and an
# argument file for java, so that the image's entrypoint is `java @FILE` and needs no shell.
{ pkgs ? import <nixpkgs> { }, target ? ../../distrolix-cli/target }:
let
  # Only the jars: not classes/, the CDS archive or test output (a new build of those would make a
  # new store path for nothing).
  isJar = name: builtins.match ".*\\.jar" name != null
    && builtins.match ".*-(sources|javadoc|tests)\\.jar" name == null;
  jars = builtins.path {
    name = "distrolix-jars";
    path = target;
    filter = path: type:
      let name = baseNameOf path; in
      if type == "directory" then name == "lib" else isJar name;
  };
in
pkgs.runCommand "distrolix-0.1.0" { inherit jars; } ''
  mkdir -p $out/share/distrolix/lib
  cp $jars/*.jar $jars/lib/*.jar $out/share/distrolix/lib/
  # the options bin/distrolix uses (serial GC: a CLI run is short and single-heap)
  printf '%s\n' -XX:+UseSerialGC -XX:TieredStopAtLevel=4 -cp "$out/share/distrolix/lib/*" \
    dev.distrolix.cli.Distrolix > $out/share/distrolix/java.args
''
