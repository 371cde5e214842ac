package dev.distrolix.inspect.audit;

import dev.distrolix.inspect.FsEntry;
import dev.distrolix.inspect.elf.ElfCollector;
import dev.distrolix.inspect.elf.ElfInfo;
import dev.distrolix.inspect.scan.ImageTree;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Whether every ELF program of the image can start, and every shared library load, judged the
 * way glibc's ld.so searches (ld.so(8)): a name with a '/' is a path; otherwise DT_RPATH of the
 * object and of the objects that loaded it (only when the object has no DT_RUNPATH), then
 * LD_LIBRARY_PATH from the config's Env, then DT_RUNPATH, then the default directories —
 * /lib/TRIPLET, /usr/lib/TRIPLET (Debian's multiarch), /lib, /usr/lib, /lib64, /usr/lib64, and
 * /usr/local/lib for musl. {@code $ORIGIN} is the directory of the program's real path (links
 * resolved, as /proc/self/exe gives it) or of the directory a library was found in; {@code $LIB}
 * and {@code $PLATFORM} are expanded too. Candidates of another ELF class or machine are skipped,
 * as ld.so skips them. A name already loaded (by name or DT_SONAME, the interpreter included)
 * is not searched again.
 *
 * <p>Out of scope, on purpose: /etc/ld.so.conf and /etc/ld.so.cache (a Debian library found only
 * through the cache would be reported; none of Debian's is, as the cache lists the default
 * directories), glibc-hwcaps subdirectories, relative RUNPATH entries (relative to the working
 * directory), and dlopen() calls.
 *
 * <p>Programs get the strict check: their whole load, from the interpreter down. A library on its
 * own is judged more leniently, because it is often loaded by a program that has already loaded
 * what it needs (glibc's gconv modules need libc.so.6 without a RUNPATH; the JRE's libraries need
 * libjvm.so, which the launcher loaded): a need fails only when the loader search finds nothing
 * and no file of the image of that name or DT_SONAME (of the same class and machine) exists.
 */
final class ElfChecks {
    private final ImageTree tree;
    private final ElfCollector elf;
    private final List<String> ldLibraryPath;
    private final Map<String, Found> cache = new HashMap<>();
    private Map<String, List<ElfInfo>> byName;

    /** A library found: the path it was found at (its $ORIGIN is that directory) and its facts. */
    private record Found(String path, ElfInfo info) {}

    /** One loaded object of a program: where, its facts, and its loader (for inherited DT_RPATH). */
    private record Loaded(String path, String origin, ElfInfo info, Loaded loader) {}

    ElfChecks(ImageTree tree, ElfCollector elf, List<String> ldLibraryPath) {
        this.tree = tree;
        this.elf = elf;
        this.ldLibraryPath = ldLibraryPath;
    }

    List<Finding> check() {
        Map<String, List<String>> missingInterp = new TreeMap<>();
        Map<String, List<String>> missingForPrograms = new TreeMap<>(); // library name → proofs
        Map<String, List<String>> missingForLibraries = new TreeMap<>();
        List<String> unreadable = new ArrayList<>();
        for (FsEntry e : tree.fs().entries()) {
            ElfInfo info = e.type() == FsEntry.Type.FILE ? elf.get(e) : null;
            if (info == null) {
                continue;
            }
            if (!info.complete()) {
                unreadable.add(e.path() + " (" + info.problem() + ")");
                continue;
            }
            if (info.isProgram() && (e.mode() & 0111) != 0) {
                if (!interpreterPresent(info)) {
                    missingInterp.computeIfAbsent(info.interpreter(), k -> new ArrayList<>()).add(e.path());
                    continue;
                }
                programNeeds(e.path(), info).forEach((lib, neededBy) -> missingForPrograms
                        .computeIfAbsent(lib, k -> new ArrayList<>())
                        .add(neededBy.equals(e.path()) ? e.path() : e.path() + " (through " + neededBy + ")"));
            } else if (info.dynamic()) {
                for (String lib : libraryNeeds(e.path(), info)) {
                    missingForLibraries.computeIfAbsent(lib, k -> new ArrayList<>()).add(e.path());
                }
            }
        }
        List<Finding> out = new ArrayList<>();
        missingInterp.forEach((interp, programs) -> out.add(Rule.ELF_INTERPRETER_MISSING.finding(
                "ELF interpreter " + interp + " is not in the image: " + FileChecks.count(programs, "program")
                        + " cannot start (" + programs.get(0) + (programs.size() > 1 ? ", …)" : ")"), programs)));
        missingForPrograms.forEach((lib, proofs) -> out.add(Rule.ELF_UNRESOLVED.finding(
                lib + " is not in the image: " + FileChecks.count(proofs, "program") + " cannot start ("
                        + Finding.pathOf(proofs.get(0)) + (proofs.size() > 1 ? ", …)" : ")"), proofs)));
        missingForLibraries.forEach((lib, libs) -> out.add(Rule.ELF_LIBRARY_UNRESOLVED.finding(
                lib + " is not in the image: " + FileChecks.count(libs, "library") + " cannot load ("
                        + libs.get(0) + (libs.size() > 1 ? ", …)" : ")"), libs)));
        if (!unreadable.isEmpty()) {
            out.add(Rule.ELF_UNREADABLE.finding(FileChecks.count(unreadable, "ELF file") + " not judged", unreadable));
        }
        return out;
    }

    /** Whether the program's interpreter is a file in the image (it then is loaded first). */
    private boolean interpreterPresent(ElfInfo info) {
        if (info.interpreter() == null) {
            return true; // static
        }
        ImageTree.Resolved r = tree.resolve(info.interpreter());
        return r.ok() && tree.regularFile(r.entry()) != null;
    }

    /** Missing library name → the object that needed it, for a program and everything it loads. */
    Map<String, String> programNeeds(String path, ElfInfo program) {
        Map<String, String> missing = new LinkedHashMap<>();
        Set<String> loaded = new HashSet<>();
        if (program.interpreter() != null) {
            loaded.add(basename(program.interpreter()));
            ElfInfo ld = elf.get(tree.regularFile(tree.resolve(program.interpreter()).entry()));
            if (ld != null && ld.soname() != null) {
                loaded.add(ld.soname());
            }
        }
        String real = tree.resolve(path).path();
        Deque<Loaded> todo = new ArrayDeque<>();
        todo.add(new Loaded(path, ImageTree.parentOf(real), program, null));
        int guard = 0;
        while (!todo.isEmpty() && guard++ < 10_000) {
            Loaded obj = todo.poll();
            for (String name : obj.info().needed()) {
                if (loaded.contains(name) || missing.containsKey(name)) {
                    continue;
                }
                Found f = search(name, obj, false);
                if (f == null) {
                    missing.put(name, obj.path());
                    continue;
                }
                loaded.add(name);
                if (f.info().soname() != null) {
                    loaded.add(f.info().soname());
                }
                todo.add(new Loaded(f.path(), ImageTree.parentOf(f.path()), f.info(), obj));
            }
        }
        return missing;
    }

    /** The direct needs of a library that nothing provides. */
    List<String> libraryNeeds(String path, ElfInfo lib) {
        List<String> missing = new ArrayList<>();
        Loaded self = new Loaded(path, ImageTree.parentOf(path), lib, null);
        for (String name : lib.needed()) {
            if (name.startsWith("ld-linux") || name.startsWith("ld-musl") || name.startsWith("ld64.so")) {
                continue; // the loader is there whenever anything is loaded
            }
            if (search(name, self, true) == null && !presentAnywhere(name, lib)) {
                missing.add(name);
            }
        }
        return missing;
    }

    /** Whether some ELF file of the image, by file name or DT_SONAME, could be {@code name} for {@code want}. */
    private boolean presentAnywhere(String name, ElfInfo want) {
        if (byName == null) {
            byName = new HashMap<>();
            for (FsEntry e : tree.fs().entries()) {
                ElfInfo info = elf.get(tree.regularFile(e));
                if (info == null && e.type() == FsEntry.Type.SYMLINK) {
                    ImageTree.Resolved r = tree.resolve(e.path());
                    info = r.ok() ? elf.get(tree.regularFile(r.entry())) : null;
                }
                if (info != null) {
                    byName.computeIfAbsent(e.name(), k -> new ArrayList<>()).add(info);
                    if (info.soname() != null) {
                        byName.computeIfAbsent(info.soname(), k -> new ArrayList<>()).add(info);
                    }
                }
            }
        }
        return byName.getOrDefault(name, List.of()).stream().anyMatch(i -> i.compatibleWith(want));
    }

    private Found search(String name, Loaded obj, boolean siblings) {
        ElfInfo want = obj.info();
        if (name.contains("/")) {
            return candidate(name.startsWith("/") ? name : "/" + name, want);
        }
        List<String> dirs = new ArrayList<>();
        if (want.runpath().isEmpty()) {
            for (Loaded o = obj; o != null; o = o.loader()) {
                expand(o.info().rpath(), o.origin(), o.info(), dirs);
            }
        }
        dirs.addAll(ldLibraryPath);
        expand(want.runpath(), obj.origin(), want, dirs);
        if (siblings) {
            dirs.add(obj.origin());
        }
        dirs.addAll(defaultDirs(want));
        String key = name + "|" + want.elfClass() + want.machine() + "|" + String.join(":", dirs);
        if (cache.containsKey(key)) {
            return cache.get(key);
        }
        Found found = null;
        for (String d : dirs) {
            if (d.startsWith("/")) {
                found = candidate((d.endsWith("/") ? d : d + "/") + name, want);
                if (found != null) {
                    break;
                }
            }
        }
        cache.put(key, found);
        return found;
    }

    /** The ELF file at {@code path} if it exists and suits {@code want} (class, byte order, machine). */
    private Found candidate(String path, ElfInfo want) {
        ImageTree.Resolved r = tree.resolve(path);
        if (!r.ok()) {
            return null;
        }
        ElfInfo info = elf.get(tree.regularFile(r.entry()));
        return info != null && info.compatibleWith(want) ? new Found(path, info) : null;
    }

    private static void expand(List<String> entries, String origin, ElfInfo info, List<String> out) {
        for (String e : entries) {
            if (e.isEmpty()) {
                continue;
            }
            String d = e.replace("${ORIGIN}", origin).replace("$ORIGIN", origin)
                    .replace("${LIB}", lib(info)).replace("$LIB", lib(info))
                    .replace("${PLATFORM}", platform(info)).replace("$PLATFORM", platform(info));
            out.add(d);
        }
    }

    static List<String> defaultDirs(ElfInfo info) {
        List<String> dirs = new ArrayList<>();
        String triplet = info.multiarchTriplet();
        if (triplet != null) {
            dirs.add("/lib/" + triplet);
            dirs.add("/usr/lib/" + triplet);
        }
        dirs.add("/lib");
        dirs.add("/usr/lib");
        if (info.elfClass() == 64) {
            dirs.add("/lib64");
            dirs.add("/usr/lib64");
        }
        if (info.interpreter() != null && info.interpreter().contains("ld-musl")) {
            dirs.add("/usr/local/lib");
        }
        return dirs;
    }

    private static String lib(ElfInfo info) {
        return info.elfClass() == 64 ? "lib64" : "lib";
    }

    private static String platform(ElfInfo info) {
        return switch (info.machine()) {
            case ElfInfo.EM_X86_64 -> "x86_64";
            case ElfInfo.EM_AARCH64 -> "aarch64";
            case ElfInfo.EM_386 -> "i686";
            default -> "unknown";
        };
    }

    private static String basename(String p) {
        return p.substring(p.lastIndexOf('/') + 1);
    }
}
