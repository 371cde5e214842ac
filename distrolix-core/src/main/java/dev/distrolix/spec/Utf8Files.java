package dev.distrolix.spec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Strict UTF-8 reading: an interpolated source must be text, and a binary file must not be mangled silently. */
final class Utf8Files {
    private Utf8Files() {
    }

    /** A file past the bound: its message is the whole reason, for the caller to quote. */
    static final class TooLarge extends IOException {
        TooLarge(String message) {
            super(message);
        }
    }

    /**
     * @throws java.nio.charset.CharacterCodingException (an IOException) when the file is not UTF-8; an
     *         IOException when it is larger than {@link Template#MAX_RENDERED} bytes (what any spec may expand to)
     */
    static String read(Path file) throws IOException {
        byte[] bytes;
        try (java.io.InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(Template.MAX_RENDERED + 1);
        }
        if (bytes.length > Template.MAX_RENDERED) {
            throw new TooLarge("larger than " + (Template.MAX_RENDERED >> 20) + " MiB, the most an interpolated file"
                    + " may be");
        }
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }
}
