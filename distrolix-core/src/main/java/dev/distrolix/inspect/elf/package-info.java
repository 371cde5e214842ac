/**
 * A small streaming ELF reader: ELF32/ELF64, little and big endian; the header and program
 * headers give {@code PT_INTERP} and {@code PT_DYNAMIC}, the dynamic section gives
 * {@code DT_NEEDED}, {@code DT_RPATH}, {@code DT_RUNPATH} and {@code DT_SONAME} through
 * {@code DT_STRTAB} (mapped from its address to a file offset by the {@code PT_LOAD} segments).
 * Files are read once as they stream past: at most the first MiB is kept, plus the few ranges
 * needed later in the file (patchelf moves .dynamic and .dynstr to the end). Section headers are
 * never needed. {@link dev.distrolix.inspect.elf.ElfCollector} runs it on every file of a scan.
 */
package dev.distrolix.inspect.elf;
