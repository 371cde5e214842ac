package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RegistryTimeoutOptionTest {
    final RegistryOptions.DurationConverter c = new RegistryOptions.DurationConverter();

    @Test
    void durationsInTheUsualForms() {
        assertThat(c.convert("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.convert("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.convert("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(c.convert("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.convert("90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.convert("0")).isZero();
        assertThatThrownBy(() -> c.convert("5 minutes")).isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageContaining("not a duration");
        assertThatThrownBy(() -> c.convert("-5s")).isInstanceOf(CommandLine.TypeConversionException.class);
    }

    @Test
    void theOptionReachesTheSettingsWithATenMinuteDefault() {
        RegistryOptions o = new RegistryOptions();
        new CommandLine(o).parseArgs();
        assertThat(o.settings().deadline().total()).isEqualTo(Duration.ofMinutes(10));
        new CommandLine(o).parseArgs("--timeout", "45s");
        assertThat(o.settings().deadline().total()).isEqualTo(Duration.ofSeconds(45));
        new CommandLine(o).parseArgs("--timeout", "0");
        assertThat(o.settings().deadline().total()).isNull();
    }

    @Test
    void certDirReplacesTheCertsDFolders() {
        RegistryOptions o = new RegistryOptions();
        new CommandLine(o).parseArgs();
        assertThat(o.settings().certDirs().certDir()).isNull();
        assertThat(o.settings().certDirs().roots()).contains(java.nio.file.Path.of("/etc/containers/certs.d"),
                java.nio.file.Path.of("/etc/docker/certs.d"));
        new CommandLine(o).parseArgs("--cert-dir", "/tmp/certs");
        assertThat(o.settings().certDirs().certDir()).isEqualTo(java.nio.file.Path.of("/tmp/certs"));
        assertThat(o.settings().certDirs().roots()).isEmpty();
    }
}
