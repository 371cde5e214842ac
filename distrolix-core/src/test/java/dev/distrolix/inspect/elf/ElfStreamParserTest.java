package dev.distrolix.inspect.elf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.IntegrationTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The streaming ELF reader against binutils' readelf, on the fixtures' real files, in random chunk sizes. */
class ElfStreamParserTest {
    private static final Pattern DYN = Pattern.compile("\\((NEEDED|RPATH|RUNPATH|SONAME)\\)\\s+\\S+(?: \\S+)*?: \\[(.*)\\]");
    private static final Pattern INTERP = Pattern.compile("\\[Requesting program interpreter: (.*)\\]");

    static ElfInfo parse(Path file, Random chunks) throws IOException {
        AtomicReference<ElfInfo> out = new AtomicReference<>();
        ElfStreamParser p = new ElfStreamParser(out::set);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[70000];
            int n;
            while ((n = in.read(buf, 0, 1 + chunks.nextInt(buf.length - 1))) >= 0) {
                if (!p.accept(buf, 0, n)) {
                    break;
                }
            }
        }
        p.end();
        return out.get();
    }

    @IntegrationTest
    @Test
    void agreesWithReadelfOnEveryElfOfTheJreClosureAndBusybox() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String fixture : List.of("jre", "busybox", "nginx")) {
            for (String p : Fixtures.run("nix-store", "-qR", Fixtures.storePath(fixture)).split("\n")) {
                try (Stream<Path> s = Files.walk(Path.of(p))) {
                    s.filter(Files::isRegularFile).filter(f -> !Files.isSymbolicLink(f)).filter(ElfStreamParserTest::isElf)
                            .forEach(files::add);
                }
            }
        }
        files.add(Path.of("/usr/bin/ls")); // a Debian binary: .dynstr early, not moved by patchelf
        assertThat(files).hasSizeGreaterThan(50);
        Random r = new Random(42);
        int checked = 0;
        var distinct = new java.util.TreeSet<>(files);
        for (Path f : distinct) {
            ElfInfo info = parse(f, r);
            assertThat(info).as("%s", f).isNotNull();
            assertThat(info.complete()).as("%s: %s", f, info.problem()).isTrue();
            String dyn = Fixtures.run("readelf", "-dW", f.toString());
            List<String> needed = new ArrayList<>();
            String rpath = null;
            String runpath = null;
            String soname = null;
            Matcher m = DYN.matcher(dyn);
            while (m.find()) {
                switch (m.group(1)) {
                    case "NEEDED" -> needed.add(m.group(2));
                    case "RPATH" -> rpath = m.group(2);
                    case "RUNPATH" -> runpath = m.group(2);
                    default -> soname = m.group(2);
                }
            }
            assertThat(info.needed()).as("NEEDED of %s", f).isEqualTo(needed);
            assertThat(String.join(":", info.rpath())).as("RPATH of %s", f).isEqualTo(rpath == null ? "" : rpath);
            assertThat(String.join(":", info.runpath())).as("RUNPATH of %s", f).isEqualTo(runpath == null ? "" : runpath);
            assertThat(info.soname()).as("SONAME of %s", f).isEqualTo(soname);
            Matcher im = INTERP.matcher(Fixtures.run("readelf", "-lW", f.toString()));
            assertThat(info.interpreter()).as("interpreter of %s", f).isEqualTo(im.find() ? im.group(1) : null);
            assertThat(info.elfClass()).isEqualTo(64);
            assertThat(info.machine()).isEqualTo(ElfInfo.EM_X86_64);
            checked++;
        }
        assertThat(checked).isEqualTo(distinct.size());
    }

    @Test
    void aFileThatIsNotElfGivesNothing() {
        AtomicReference<ElfInfo> out = new AtomicReference<>();
        ElfStreamParser p = new ElfStreamParser(out::set);
        byte[] text = "#!/bin/sh\necho hello world, this is not an ELF file at all, no no no\n".getBytes();
        assertThat(p.accept(text, 0, text.length)).isFalse();
        p.end();
        assertThat(out.get()).isNull();
    }

    @Test
    void aTruncatedElfIsIncompleteNotAnError() throws IOException {
        Path ls = Path.of("/usr/bin/ls");
        byte[] head = new byte[100];
        try (InputStream in = Files.newInputStream(ls)) {
            assertThat(in.readNBytes(head, 0, head.length)).isEqualTo(100);
        }
        AtomicReference<ElfInfo> out = new AtomicReference<>();
        ElfStreamParser p = new ElfStreamParser(out::set);
        p.accept(head, 0, head.length);
        p.end();
        assertThat(out.get()).isNotNull();
        assertThat(out.get().complete()).isFalse();
    }

    static boolean isElf(Path f) {
        try (InputStream in = Files.newInputStream(f)) {
            byte[] m = in.readNBytes(4);
            return m.length == 4 && m[0] == 0x7f && m[1] == 'E' && m[2] == 'L' && m[3] == 'F';
        } catch (IOException e) {
            return false;
        }
    }
}
