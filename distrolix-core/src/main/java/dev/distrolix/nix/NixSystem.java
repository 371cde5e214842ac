package dev.distrolix.nix;

import java.util.Map;
import java.util.Optional;

/**
 * A Nix system double such as {@code x86_64-linux} and the OCI platform it denotes
 * (GOARCH/GOOS names, as image configs and index platforms use them).
 */
public record NixSystem(String nixSystem, String architecture, String os, Optional<String> variant) {

    /** Nix CPU name → OCI architecture and variant (empty string: no variant). */
    private static final Map<String, String[]> CPUS = Map.ofEntries(
            Map.entry("x86_64", new String[] {"amd64", ""}),
            Map.entry("i686", new String[] {"386", ""}),
            Map.entry("i586", new String[] {"386", ""}),
            Map.entry("i386", new String[] {"386", ""}),
            // OCI image-index convention: arm64 images carry variant v8.
            Map.entry("aarch64", new String[] {"arm64", "v8"}),
            Map.entry("armv7l", new String[] {"arm", "v7"}),
            Map.entry("armv7a", new String[] {"arm", "v7"}),
            Map.entry("armv6l", new String[] {"arm", "v6"}),
            Map.entry("armv5tel", new String[] {"arm", "v5"}),
            Map.entry("riscv64", new String[] {"riscv64", ""}),
            Map.entry("powerpc64le", new String[] {"ppc64le", ""}),
            Map.entry("powerpc64", new String[] {"ppc64", ""}),
            Map.entry("s390x", new String[] {"s390x", ""}),
            Map.entry("mips64el", new String[] {"mips64le", ""}),
            Map.entry("mipsel", new String[] {"mipsle", ""}),
            Map.entry("loongarch64", new String[] {"loong64", ""}));

    private static final Map<String, String> OSES = Map.of(
            "linux", "linux", "darwin", "darwin", "freebsd", "freebsd", "netbsd", "netbsd", "openbsd", "openbsd");

    public NixSystem {
        variant = variant == null ? Optional.empty() : variant;
    }

    /**
     * Parses {@code <cpu>-<os>}.
     *
     * @throws dev.distrolix.InputException for a malformed or unsupported system, naming it
     */
    public static NixSystem parse(String system) {
        String s = system == null ? "" : system.strip();
        int dash = s.indexOf('-');
        if (dash <= 0 || dash == s.length() - 1) {
            throw new dev.distrolix.InputException("not a Nix system: '" + s + "' (expected e.g. x86_64-linux)");
        }
        String[] cpu = CPUS.get(s.substring(0, dash));
        String os = OSES.get(s.substring(dash + 1));
        if (cpu == null || os == null) {
            throw new dev.distrolix.InputException("unsupported Nix system '" + s + "': no OCI platform for it");
        }
        return new NixSystem(s, cpu[0], os, cpu[1].isEmpty() ? Optional.empty() : Optional.of(cpu[1]));
    }

    /**
     * The Nix system an OCI platform ({@code os/arch[/variant]}, e.g. {@code linux/arm64}) is built by
     * ({@code aarch64-linux}); arm64 takes no variant or v8, arm v5–v7.
     *
     * @throws dev.distrolix.InputException for a platform no Nix system builds, naming it
     */
    public static NixSystem ofPlatform(String platform) {
        String[] p = platform == null ? new String[0] : platform.strip().split("/", -1);
        if (p.length < 2 || p.length > 3 || p[0].isEmpty() || p[1].isEmpty() || (p.length == 3 && p[2].isEmpty())) {
            throw new dev.distrolix.InputException("not a platform: '"
                    + dev.distrolix.Printable.shown(platform, 100) + "' (expected OS/ARCH[/VARIANT], e.g. linux/arm64)");
        }
        String variant = p.length == 3 ? p[2] : "";
        for (Map.Entry<String, String[]> cpu : CPUS.entrySet()) {
            String[] oci = cpu.getValue();
            boolean variantFits = variant.equals(oci[1]) || (variant.isEmpty() && !oci[0].equals("arm"));
            if (oci[0].equals(p[1]) && variantFits && OSES.containsKey(p[0]) && preferred(cpu.getKey())) {
                return parse(cpu.getKey() + "-" + p[0]);
            }
        }
        throw new dev.distrolix.InputException("no Nix system builds platform '"
                + dev.distrolix.Printable.shown(platform, 100) + "' (known: linux/amd64, linux/arm64, linux/386, linux/arm/v7, linux/arm/v6, linux/riscv64, linux/ppc64le, linux/s390x, …)");
    }

    /** Of the Nix CPU names that map to one OCI platform, the one nixpkgs uses for it. */
    private static boolean preferred(String nixCpu) {
        return !nixCpu.equals("i586") && !nixCpu.equals("i386") && !nixCpu.equals("armv7a");
    }

    /** "linux/amd64", "linux/arm64/v8": the usual platform notation. */
    public String platform() {
        return os + "/" + architecture + variant.map(v -> "/" + v).orElse("");
    }
}
