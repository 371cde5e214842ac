package dev.distrolix.cli.resident;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/** Two ends of a Unix-domain connection, as the client's and the resident JVM's (through a socket file in {@code dir}, removed once connected). */
record SocketPair(SocketChannel client, SocketChannel server) implements AutoCloseable {
    static SocketPair in(Path dir) throws IOException {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("test.sock"));
        try (ServerSocketChannel listening = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listening.bind(address);
            SocketChannel client = SocketChannel.open(address);
            return new SocketPair(client, listening.accept());
        } finally {
            java.nio.file.Files.deleteIfExists(address.getPath()); // connected: the name is free for the next pair
        }
    }

    @Override
    public void close() throws IOException {
        client.close();
        server.close();
    }
}
