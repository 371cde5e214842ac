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

    /** @throws java.nio.charset.CharacterCodingException (an IOException) when the file is not UTF-8 */
    static String read(Path file) throws IOException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                .toString();
    }
}
