package dev.distrolix.inspect.audit;

import dev.distrolix.image.Descriptor;
import dev.distrolix.image.Platform;
import dev.distrolix.image.PlatformChoice;
import dev.distrolix.inspect.FsEntry;
import dev.distrolix.inspect.PlatformImage;
import dev.distrolix.inspect.elf.ElfCollector;
import dev.distrolix.inspect.elf.ElfInfo;
import dev.distrolix.inspect.elf.ElfMachine;
import dev.distrolix.inspect.scan.ImageTree;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether an image is what its platform says: its ELF programs and libraries are built for the
 * processor of the config's architecture, and the index that lists it (if any) lists it under the
 * platform its config names. Runtimes trust both labels — a host pulls the entry for its platform
 * and starts what is in it — so a wrong one is an image that fails with "exec format error".
 */
final class PlatformChecks {
    private PlatformChecks() {}

    /**
     * The index's label against the config: os and architecture equal, variants equal once
     * normalized ({@link PlatformImage#equivalent}), so a label that only spells the default
     * variant out is no finding.
     */
    static List<Finding> label(Descriptor entry, Platform config) {
        if (entry == null || entry.platform() == null || PlatformImage.equivalent(entry.platform(), config)) {
            return List.of();
        }
        String label = PlatformChoice.format(entry.platform());
        String digest = entry.digest().toString();
        return List.of(Rule.INDEX_PLATFORM_MISMATCH.finding("the index lists " + digest.substring(0, Math.min(19, digest.length()))
                + "… as " + label + ", but its config says " + PlatformChoice.format(config) + ": " + label
                + " hosts pull an image built for another platform", List.of()));
    }

    /**
     * ELF programs (executable files) and shared libraries of another machine than the platform's,
     * one finding per machine. Object files, core dumps and programs without an execute bit (the
     * test data of Go's debug/elf, say) are never run, so they are not counted. Nothing is checked
     * for an architecture {@link ElfMachine} does not know.
     */
    static List<Finding> elfMachines(ImageTree tree, ElfCollector elf, Platform platform) {
        ElfMachine want = ElfMachine.forArchitecture(platform.architecture());
        if (want == null) {
            return List.of();
        }
        Map<ElfMachine, Foreign> foreign = new LinkedHashMap<>();
        for (FsEntry e : tree.fs().entries()) {
            ElfInfo info = e.type() == FsEntry.Type.FILE ? elf.get(e) : null;
            if (info == null) {
                continue;
            }
            boolean program = info.isProgram() && (e.mode() & 0111) != 0;
            ElfMachine m = ElfMachine.of(info);
            if ((program || info.isLibrary()) && !m.equals(want)) {
                Foreign f = foreign.computeIfAbsent(m, k -> new Foreign(new ArrayList<>(), new ArrayList<>()));
                (program ? f.programs() : f.libraries()).add(e.path());
            }
        }
        List<Finding> out = new ArrayList<>();
        String image = PlatformChoice.format(platform) + " (" + want.displayName() + ")";
        foreign.forEach((m, f) -> {
            List<String> paths = new ArrayList<>(f.programs()); // programs first: the path the message names is one
            paths.addAll(f.libraries());
            String files = FileChecks.count(paths, "ELF file") + kinds(f.programs().size(), f.libraries().size())
                    + (paths.size() == 1 ? " is " : " are ") + m.displayName();
            String first = " (" + paths.get(0) + (paths.size() > 1 ? ", …)" : ")");
            out.add(want.runsAsCompat(m)
                    ? Rule.ELF_WRONG_MACHINE.finding(Severity.LOW, files + " in a " + image + " image: they run only "
                            + "where the kernel also runs " + m.displayName() + " programs" + first, paths)
                    : Rule.ELF_WRONG_MACHINE.finding(files + ", but the image is " + image + ": its hosts cannot run them"
                            + first, paths));
        });
        return out;
    }

    /** The programs and libraries of one foreign machine, in the filesystem's order. */
    private record Foreign(List<String> programs, List<String> libraries) {}

    /** Why an ELF program cannot start on the platform's hosts, or null (its own machine, or a compat one). */
    static String foreignProgram(ElfInfo info, Platform platform) {
        ElfMachine want = ElfMachine.forArchitecture(platform.architecture());
        ElfMachine m = ElfMachine.of(info);
        if (want == null || m.equals(want) || want.runsAsCompat(m)) {
            return null;
        }
        return "it is built for " + m.displayName() + " and the image is " + PlatformChoice.format(platform) + " ("
                + want.displayName() + ")";
    }

    private static String kinds(int programs, int libraries) {
        List<String> parts = new ArrayList<>();
        if (programs > 0) {
            parts.add(programs + (programs == 1 ? " program" : " programs"));
        }
        if (libraries > 0) {
            parts.add(libraries + (libraries == 1 ? " library" : " libraries"));
        }
        return " (" + String.join(", ", parts) + ")";
    }
}
