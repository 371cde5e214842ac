package dev.distrolix.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the CLI in-process and captures what it printed. */
record Cli(int exitCode, String out, String err) {
    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Distrolix.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Cli(rc, out.toString(), err.toString());
    }

    /** The last line of stderr without the trailing newline. */
    String errLine() {
        String[] lines = err.strip().split("\n");
        return lines[lines.length - 1];
    }
}
