package dev.tessera.limits;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A redis-server of the test's own on a free 127.0.0.1 port (never the shared one on 6379), which the test
 * may freeze (DEBUG SLEEP), stop and start again; always stopped when the test ends. Its process is this JVM's child, so it is
 * stopped by its own handle, never by name.
 */
public class OwnRedis implements QuarkusTestResourceLifecycleManager {

    private static volatile int port;
    private static volatile Process process;
    private static Path dir;

    @Override
    public Map<String, String> start() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        up();
        return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:" + port);
    }

    @Override
    public void stop() {
        down();
    }

    /** Starts the server (again) on its port and waits until it answers. */
    public static synchronized void up() {
        try {
            if (dir == null) {
                dir = Files.createTempDirectory("tessera-redis");
            }
            process = new ProcessBuilder(List.of("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--enable-debug-command", "local"))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
            for (int i = 0; i < 100 && !answers(); i++) {
                Thread.sleep(50);
            }
            if (!answers()) {
                throw new IllegalStateException("redis-server did not start on 127.0.0.1:" + port);
            }
        } catch (IOException e) {
            throw new IllegalStateException("redis-server could not be started", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the server (SIGTERM, then SIGKILL) and waits until its port is closed. */
    public static synchronized void down() {
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /**
     * Makes the server slow: it answers nothing for {@code millis} (DEBUG SLEEP, sent on a connection of its
     * own, on another thread); returns at once.
     */
    public static void freeze(long millis) {
        Thread t = new Thread(() -> {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.getOutputStream().write(("DEBUG SLEEP " + (millis / 1000.0) + "\r\n").getBytes());
                s.getInputStream().read(new byte[16]);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, "redis-freeze");
        t.setDaemon(true);
        t.start();
    }

    private static boolean answers() {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.getOutputStream().write("PING\r\n".getBytes());
            byte[] buf = new byte[7];
            return s.getInputStream().read(buf) > 0 && new String(buf).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }
}
