package dev.chatplatform.gateway;

import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** One real Redis server (embedded-redis ships the binary) per test JVM, stopped when the JVM exits. */
final class TestRedis {

    private static String url;

    static synchronized String url() {
        if (url == null) {
            int port = freePort();
            try {
                RedisServer server = new RedisServer(port);
                server.start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        server.stop();
                    } catch (IOException e) {
                        // the JVM is going away
                    }
                }));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            url = "redis://localhost:" + port;
        }
        return url;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TestRedis() {
    }
}
