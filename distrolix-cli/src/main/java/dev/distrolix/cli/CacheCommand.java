package dev.distrolix.cli;

import dev.distrolix.InputException;
import dev.distrolix.cache.LayerCache;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "cache", mixinStandardHelpOptions = true,
        description = {
            "Shows, checks or trims the layer cache.",
            "",
            "Builds reuse a cached layer when its inputs (store paths, or the declared files' content) and the "
                + "tar and compression rules are the same; every reuse re-checks the blob's size and digest.",
        },
        subcommands = {CacheCommand.Du.class, CacheCommand.Verify.class, CacheCommand.Prune.class})
final class CacheCommand {
    @Option(names = "--cache-dir", paramLabel = "DIR", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "The cache folder (default: layers/ under $DISTROLIX_CACHE_DIR, else $XDG_CACHE_HOME/distrolix, else ~/.cache/distrolix).")
    Path cacheDir;

    Path dir() {
        return cacheDir != null ? cacheDir : LayerCache.defaultDir();
    }

    /** What every cache subcommand is given: the parent's options (the cache folder) and its own spec (its output). */
    abstract static class Subcommand {
        @ParentCommand
        CacheCommand parent;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;
    }

    @Command(name = "du", mixinStandardHelpOptions = true, description = "How many layers and bytes the cache holds.")
    static final class Du extends Subcommand implements Callable<Integer> {
        @Override
        public Integer call() throws IOException {
            try (LayerCache c = LayerCache.open(parent.dir())) {
                LayerCache.Usage u = c.usage();
                spec.commandLine().getOut().printf("%s: %d layers, %d blobs, %s%n", c.dir(), u.layers(), u.blobs(),
                        Sizes.human(u.bytes()));
            }
            return 0;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Reads every cached layer in full and checks it against its entry.",
                "", "Checks each blob's size and digest, and its tar's diff_id and size. A build reuses an entry whose "
                    + "file is the very file it recorded without reading it; bytes changed on disk since are found "
                    + "here (and when a blob is copied out or pushed). A damaged entry is dropped, and the next build "
                    + "makes that layer again. Exit 4 when one was found."})
    static final class Verify extends Subcommand implements Callable<Integer> {
        @Override
        public Integer call() throws IOException {
            dev.distrolix.cache.CacheVerification.Report r = dev.distrolix.cache.CacheVerification.verify(parent.dir());
            java.io.PrintWriter out = spec.commandLine().getOut();
            for (dev.distrolix.cache.CacheVerification.Damaged d : r.damaged()) {
                out.printf("damaged  %s: %s; dropped%n", d.name().length() == 64 ? d.name().substring(0, 12) : d.name(),
                        d.reason());
            }
            out.printf("%s: %d layers, %d blobs, %s intact%s%n", parent.dir(), r.entries(), r.blobs(),
                    Sizes.human(r.bytes()), r.intact() ? "" : "; " + r.damaged().size() + " damaged, dropped (builds make"
                    + " them again)");
            if (r.unnamedBlobs() > 0) {
                out.printf("%d blobs no entry names (distrolix cache prune removes them)%n", r.unnamedBlobs());
            }
            out.flush();
            return r.intact() ? 0 : Distrolix.EXIT_FINDINGS;
        }
    }

    @Command(name = "prune", mixinStandardHelpOptions = true,
            description = {"Removes cache entries not used recently, and their blobs.",
                "", "Without --older-than, all of them.", "", "Example: distrolix cache prune --older-than 7d"})
    static final class Prune extends Subcommand implements Callable<Integer> {
        @Option(names = "--older-than", paramLabel = "AGE", description = "Keep entries used within AGE (e.g. 12h, 7d). Default: remove all.")
        String olderThan;

        @Override
        public Integer call() throws IOException {
            LayerCache.Usage u = LayerCache.prune(parent.dir(), olderThan == null ? Duration.ZERO : parseAge(olderThan));
            spec.commandLine().getOut().printf("%s: %d layers, %d blobs, %s left%n", parent.dir(), u.layers(), u.blobs(),
                    Sizes.human(u.bytes()));
            return 0;
        }

        static Duration parseAge(String s) {
            var m = java.util.regex.Pattern.compile("(\\d+)([smhd])").matcher(s.strip());
            if (!m.matches()) {
                throw new InputException("--older-than: expected a number and s, m, h or d (e.g. 7d), got '" + s + "'");
            }
            try {
                long n = Long.parseLong(m.group(1));
                switch (m.group(2)) {
                    case "s": return Duration.ofSeconds(n);
                    case "m": return Duration.ofMinutes(n);
                    case "h": return Duration.ofHours(n);
                    default: return Duration.ofDays(n);
                }
            } catch (NumberFormatException | ArithmeticException e) {
                throw new InputException("--older-than: '" + s + "' is too long an age");
            }
        }
    }
}
