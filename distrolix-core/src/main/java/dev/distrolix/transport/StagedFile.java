package dev.distrolix.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A secondary output (such as a build's {@code --digest-file}) that is committed together with the
 * main one: {@link #prepare} creates its temp file beside it before any work (so an unwritable
 * place fails first, and nothing is written); {@link #write} fills and fsyncs the temp file before
 * the main output is committed; {@link #commit} renames it into place right after. A failure
 * anywhere before leaves the previous file, like the previous main output, as it was;
 * {@link #close} removes the temp file unless committed.
 */
public final class StagedFile implements AutoCloseable {
    private final Path file;
    /** Null for a device or a pipe, which is written at {@link #commit} ({@link OutputTarget}). */
    private final Path temp;
    private String text;
    private boolean committed;

    private StagedFile(Path file, Path temp) {
        this.file = file;
        this.temp = temp;
    }

    /**
     * Checks that {@code file} can be written (its folder exists and takes files, it is not a folder)
     * by creating its temp file now.
     *
     * @param what how the user named it, for the message ("--digest-file")
     */
    public static StagedFile prepare(Path file, String what) throws IOException {
        OutputTarget named = OutputTarget.of(file, what);
        if (named.stream()) {
            return new StagedFile(named.path(), null); // a device or a pipe: written at commit, nothing to stage
        }
        Path target = named.path();
        if (Files.isDirectory(target)) {
            throw new ImageOutputException("cannot write " + what + " " + file + ": it is a directory");
        }
        Path dir = target.getParent();
        if (!Files.isDirectory(dir)) {
            throw new ImageOutputException("cannot write " + what + " " + file + ": no such directory " + dir);
        }
        dev.distrolix.TempFiles.sweep(dir);
        try {
            return new StagedFile(target, OutputFiles.createTemp(target));
        } catch (IOException | RuntimeException e) {
            String reason = OutputFiles.reason(e);
            throw new ImageOutputException("cannot write " + what + " " + file + ": "
                    + (reason != null ? reason : OutputFiles.oneLine(e)), e);
        }
    }

    /** Fills the temp file (fsynced); the file itself is not touched yet. */
    public void write(String text) throws IOException {
        if (temp == null) {
            this.text = text;
            return;
        }
        try {
            OutputFiles.writeAndSync(temp, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw OutputFiles.translate(e, temp.getParent());
        }
    }

    /** Renames the temp file over the file: the one step left after the main output is committed. */
    public void commit() throws IOException {
        if (temp == null) {
            try (java.io.OutputStream out = new OutputTarget(file, true).openStream()) {
                out.write((text == null ? "" : text).getBytes(StandardCharsets.UTF_8));
                committed = true;
            } catch (IOException e) {
                throw OutputFiles.translate(e, file);
            }
            return;
        }
        try {
            OutputFiles.commit(temp, file);
            committed = true;
            OutputFiles.syncDirectory(file.getParent());
        } catch (IOException e) {
            throw OutputFiles.translate(e, file.getParent());
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        if (!committed && temp != null) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // best effort; the next run's sweep removes it
            }
        }
    }
}
