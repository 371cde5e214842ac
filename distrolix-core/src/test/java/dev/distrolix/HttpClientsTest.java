package dev.distrolix;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import org.junit.jupiter.api.Test;

class HttpClientsTest {
    /**
     * java.net.http reads its buffer size once, when its classes load: by the time a client is built here the
     * property is set (unless the user set it: this JVM's tests do not), and a client built on a group's thread
     * belongs to that group's threads.
     */
    @Test
    void theBufferSizeIsSetBeforeAnyClientIsBuilt() {
        ThreadGroup group = HttpClients.group("test");
        assertThat(System.getProperty(HttpClients.BUFFER_SIZE_PROPERTY)).isEqualTo(Integer.toString(HttpClients.BUFFER_SIZE));
        assertThat(HttpClients.BUFFER_SIZE).isGreaterThan(16 * 1024); // larger than java.net.http's own
        HttpClient client = HttpClients.build(HttpClient.newBuilder(), group);
        assertThat(client).isNotNull();
        assertThat(group.getParent().getName()).isEqualTo("distrolix-http");
    }
}
