package dev.distrolix.nix;

/**
 * A derivation name split into name and version the way the spec derives default package names, after Nix's
 * {@code builtins.parseDrvName}: the version starts at the first '-' that is followed by a digit.
 * {@code nginx-1.22.1} is ({@code nginx}, {@code 1.22.1}), {@code python3-3.11.7} is ({@code python3},
 * {@code 3.11.7}), {@code hello} has no version.
 *
 * <p>Nix itself splits at the first '-' followed by anything but a letter; the spec follows the narrower
 * digit rule it documents, which agrees on every name of the form {@code pname-version}.
 */
public record DrvName(String name, String version) {

    public static DrvName parse(String drvName) {
        for (int i = 0; i + 1 < drvName.length(); i++) {
            if (drvName.charAt(i) == '-' && Character.isDigit(drvName.charAt(i + 1))) {
                return new DrvName(drvName.substring(0, i), drvName.substring(i + 1));
            }
        }
        return new DrvName(drvName, "");
    }
}
