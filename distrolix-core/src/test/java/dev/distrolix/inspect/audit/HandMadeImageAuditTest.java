package dev.distrolix.inspect.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.registry.RegistrySettings;
import dev.distrolix.transport.OpenedImage;
import dev.distrolix.transport.Transports;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rules that real fixtures do not trigger, on layouts written entry by entry. */
class HandMadeImageAuditTest {
    @TempDir
    Path tmp;

    static AuditReport audit(String ref) throws Exception {
        try (OpenedImage h = Transports.open(ref, RegistrySettings.defaults())) {
            return Auditor.audit(ref, h.image());
        }
    }

    static Finding only(AuditReport r, String id) {
        List<Finding> f = r.withId(id);
        assertThat(f).as("findings %s in %s", id, r.findings()).hasSize(1);
        return f.get(0);
    }

    @Test
    void symlinksWorldWritableSetuidUserAndEntrypoint() throws Exception {
        String ref = new HandMadeImages()
                .layer(l -> l.dir("etc", 0755).file("etc/passwd", 0644, "root:x:0:0::/root:/bin/sh\napp:x:1000:1000::/:/x\n")
                        .dir("usr/bin", 0755)
                        .symlink("usr/bin/up", "../../../../etc/shadow")         // climbs above the root
                        .symlink("usr/bin/gone", "/opt/nothing")                  // dangling
                        .symlink("etc/mtab", "/proc/self/mounts")                 // the runtime provides /proc
                        .symlink("loop1", "loop2").symlink("loop2", "loop1")
                        .dir("tmp", 01777).dir("var/drop", 0777)
                        .file("var/data.txt", 0666, "anyone writes me")
                        .file("usr/bin/tool", 04755, "#!/bin/sh\necho\n")
                        .file("usr/bin/run.sh", 0755, "#!/usr/bin/env python3\nprint()\n"))
                .config(c -> c.put("User", "app").putArray("Cmd").add("run.sh"))
                .write(tmp.resolve("img"));
        AuditReport r = audit(ref);
        // PATH defaults to the runtime's: /usr/bin/run.sh is found, its interpreter is not
        assertThat(only(r, "symlink-escapes-root").paths()).containsExactly("/usr/bin/up -> ../../../../etc/shadow");
        assertThat(only(r, "dangling-symlink").paths()).containsExactlyInAnyOrder(
                "/usr/bin/gone -> /opt/nothing (/opt does not exist)", "/loop1 -> loop2 (a loop)",
                "/loop2 -> loop1 (a loop)", "/usr/bin/up -> ../../../../etc/shadow (/etc/shadow does not exist)");
        assertThat(only(r, "world-writable").paths()).containsExactly("/var/data.txt (-rw-rw-rw- 0:0)",
                "/var/drop (drwxrwxrwx 0:0) directory without the sticky bit");
        assertThat(only(r, "setuid").paths()).containsExactly("/usr/bin/tool (-rwsr-xr-x 0:0)");
        assertThat(r.withId("runs-as-root")).isEmpty(); // User app is uid 1000
        Finding entry = only(r, "entrypoint-cannot-start");
        assertThat(entry.message()).contains("Cmd program run.sh cannot start: its #! interpreter python3 is not in the image");
    }

    @Test
    void aMissingUserAndAMissingEntrypoint() throws Exception {
        String ref = new HandMadeImages()
                .layer(l -> l.dir("etc", 0755).file("etc/passwd", 0644, "root:x:0:0::/root:/bin/sh\n"))
                .config(c -> {
                    c.put("User", "nobody");
                    c.putArray("Env").add("PATH=/app/bin");
                    c.putArray("Entrypoint").add("server");
                })
                .write(tmp.resolve("img"));
        AuditReport r = audit(ref);
        assertThat(only(r, "unknown-user").severity()).isEqualTo(Severity.HIGH);
        Finding e = only(r, "entrypoint-missing");
        assertThat(e.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(e.message()).isEqualTo("Entrypoint program server is not in the image (searched PATH /app/bin)");
        assertThat(e.paths()).containsExactly("/app/bin/server");
    }

    @Test
    void diveEfficiencyCountsWhiteoutsAsDiveDoes() throws Exception {
        // layer 1: a (100 B), dir d with x (300 B) and y (200 B); layer 2: a again (40 B), d deleted, f deleted
        String ref = new HandMadeImages()
                .layer(l -> l.file("a", 0644, new byte[100]).dir("d", 0755).file("d/x", 0644, new byte[300])
                        .file("d/y", 0644, new byte[200]).file("f", 0644, new byte[50]))
                .layer(l -> l.file("a", 0644, new byte[40]).whiteout("d").whiteout("f"))
                .write(tmp.resolve("img"));
        AuditReport r = audit(ref);
        // occurrences: a 100+40 (min 40); d/x 300; d/y 200; d (whiteout of a directory) 500 (min 500);
        // f 50 then its whiteout 0 (min 0)
        long min = 40 + 300 + 200 + 500 + 0;
        long all = 140 + 300 + 200 + 500 + 50;
        assertThat(r.efficiency().efficiency()).isEqualTo((double) min / all);
        assertThat(r.efficiency().wastedBytes()).isEqualTo(140 + 50);
        assertThat(r.efficiency().topWasted()).extracting(AuditReport.WastedPath::path).containsExactly("/a", "/f");
        assertThat(r.files()).isEqualTo(1); // only /a is left
    }
}
