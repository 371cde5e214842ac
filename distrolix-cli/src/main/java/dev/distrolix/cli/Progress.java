package dev.distrolix.cli;

import dev.distrolix.build.BuildEvent;
import dev.distrolix.build.BuildListener;
import java.io.PrintWriter;

/** Prints build events: a self-updating line on a terminal, plain lines otherwise (CI logs). */
abstract class Progress implements BuildListener {
    static Progress silent() {
        return new Progress() {
            @Override
            public void on(BuildEvent e) { }

            @Override
            void finish() { }
        };
    }

    static Progress forTerminal(PrintWriter err, boolean terminal) {
        return new Progress() {
            private int lastLength;

            @Override
            public synchronized void on(BuildEvent e) {
                String line = describe(e);
                if (line == null) {
                    return;
                }
                if (!terminal && e instanceof BuildEvent.LayerWritten) {
                    return; // plain logs: the summary table lists every layer once
                }
                if (terminal && e instanceof BuildEvent.LayerWritten lw && lw.index() < lw.total()) {
                    String s = "\r" + line + " ".repeat(Math.max(0, lastLength - line.length()));
                    err.print(s);
                    lastLength = line.length();
                } else {
                    if (terminal && lastLength > 0) {
                        err.print("\r" + " ".repeat(lastLength) + "\r");
                        lastLength = 0;
                    }
                    err.println(line);
                }
                err.flush();
            }

            @Override
            void finish() {
                if (terminal && lastLength > 0) {
                    err.println();
                }
                err.flush();
            }
        };
    }

    abstract void finish();

    static String describe(BuildEvent e) {
        if (e instanceof BuildEvent.SpecLoaded s) {
            return "spec      " + s.file() + " (image " + s.imageName() + ")";
        } else if (e instanceof BuildEvent.PackagesResolved p) {
            return "packages  " + String.join(" ", p.storePaths());
        } else if (e instanceof BuildEvent.ClosureComputed c) {
            return "closure   " + c.paths() + " store paths, " + Sizes.human(c.narSize());
        } else if (e instanceof BuildEvent.LayersPlanned l) {
            return "layers    " + l.layers() + " (" + l.strategy() + ")";
        } else if (e instanceof BuildEvent.LayerWritten l) {
            return String.format("layer %3d/%d %s %9s  %-6s %s", l.index(), l.total(), l.digest().hex().substring(0, 12),
                    Sizes.human(l.size()), l.fate(), l.description());
        } else if (e instanceof BuildEvent.Notice n) {
            return "note      " + n.message();
        } else if (e instanceof BuildEvent.ImageWritten w) {
            return "wrote     " + w.target();
        }
        return null;
    }
}
