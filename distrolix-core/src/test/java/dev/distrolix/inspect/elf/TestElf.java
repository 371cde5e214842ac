package dev.distrolix.inspect.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Smallest ELF files the streaming reader takes as real: a header, and for a dynamically linked
 * program one PT_INTERP program header with its path. No dynamic section (so no DT_NEEDED): the
 * audit then has nothing to resolve but the interpreter.
 */
public final class TestElf {
    public static final int ET_REL = 1;

    private TestElf() {}

    /** A static program (ET_EXEC), or a PIE (ET_DYN) with {@code interpreter} when it is not null. */
    public static byte[] program(int machine, int elfClass, boolean bigEndian, String interpreter) {
        return file(interpreter == null ? ElfInfo.ET_EXEC : ElfInfo.ET_DYN, machine, elfClass, bigEndian, interpreter);
    }

    /** A shared library: ET_DYN without an interpreter. */
    public static byte[] library(int machine, int elfClass, boolean bigEndian) {
        return file(ElfInfo.ET_DYN, machine, elfClass, bigEndian, null);
    }

    /** An object file (.o): never loaded as it is. */
    public static byte[] object(int machine) {
        return file(ET_REL, machine, 64, false, null);
    }

    public static byte[] x86_64(String interpreter) {
        return program(ElfInfo.EM_X86_64, 64, false, interpreter);
    }

    public static byte[] aarch64(String interpreter) {
        return program(ElfInfo.EM_AARCH64, 64, false, interpreter);
    }

    public static byte[] file(int type, int machine, int elfClass, boolean bigEndian, String interpreter) {
        boolean is64 = elfClass == 64;
        int ehsize = is64 ? 64 : 52;
        int phentsize = is64 ? 56 : 32;
        int phnum = interpreter == null ? 0 : 1;
        byte[] interp = interpreter == null ? new byte[0] : (interpreter + "\0").getBytes(StandardCharsets.UTF_8);
        int interpOffset = ehsize + phentsize * phnum;
        ByteBuffer b = ByteBuffer.allocate(Math.max(128, interpOffset + interp.length))
                .order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', (byte) (is64 ? 2 : 1), (byte) (bigEndian ? 2 : 1), 1});
        b.putShort(16, (short) type).putShort(18, (short) machine).putInt(20, 1);
        if (is64) {
            b.putLong(32, ehsize).putShort(52, (short) ehsize).putShort(54, (short) phentsize).putShort(56, (short) phnum);
        } else {
            b.putInt(28, ehsize).putShort(40, (short) ehsize).putShort(42, (short) phentsize).putShort(44, (short) phnum);
        }
        if (interpreter != null) {
            int o = ehsize;
            b.putInt(o, 3); // PT_INTERP
            if (is64) {
                b.putLong(o + 8, interpOffset).putLong(o + 16, interpOffset).putLong(o + 32, interp.length);
            } else {
                b.putInt(o + 4, interpOffset).putInt(o + 8, interpOffset).putInt(o + 16, interp.length);
            }
            b.position(interpOffset);
            b.put(interp);
        }
        return b.array();
    }
}
