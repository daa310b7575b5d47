package dev.tessera.shared.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.tessera.tenancy.IsolationMode;
import dev.tessera.testing.TestTenants;
import dev.tessera.testing.TestTokens;
import dev.tessera.testing.TwoTenants;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * The tenant import, the one route allowed a large body, holds one such body per instance at a time
 * (a second import is 503 with Retry-After, an anonymous one still 401), and its own limit holds for a
 * chunked body too.
 */
@QuarkusTest
class ImportGateTest {

    private static final long MIB = 1024 * 1024;
    private static final String PROBLEM = "https://tessera.dev/problems/";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void aSecondImportWhileOneIsReadingIs503WithRetryAfterAndTheSlotIsFreedAfterwards() throws Exception {
        String path = "/admin/tenants/" + TestTenants.idOf(TwoTenants.provision(IsolationMode.SHARED)) + "/import";
        HeldImport held = new HeldImport(path);

        HttpResponse<String> second = whileHeld(held, path);
        HttpResponse<String> anonymous = send(path, null, "not json\n");
        String firstResponse = held.finish();
        HttpResponse<String> third = send(path, TestTokens.platformAdmin(), "not json\n");

        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(second.headers().firstValue("Retry-After")).isPresent();
        assertThat(new JsonObject(second.body()).getString("type")).isEqualTo(PROBLEM + "service-unavailable");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(firstResponse).startsWith("HTTP/1.1 400");
        assertThat(third.statusCode()).as(third.body()).isEqualTo(400);
        assertThat(new JsonObject(third.body()).getString("type")).isEqualTo(PROBLEM + "invalid-import");
    }

    @Test
    void aChunkedImportOverItsOwnLimitIs413ProblemJson() throws Exception {
        String path = "/admin/tenants/" + TestTenants.idOf(TwoTenants.provision(IsolationMode.SCHEMA)) + "/import";
        long limit = ConfigProvider.getConfig().getValue("tessera.portability.import-max-body-size",
                io.quarkus.runtime.configuration.MemorySize.class).asLongValue();
        AtomicLong sent = new AtomicLong();

        HttpResponse<String> response = client.send(request(path, TestTokens.platformAdmin(), new Filler(limit + 64 * MIB, sent)),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(new JsonObject(response.body()).getString("type")).isEqualTo(PROBLEM + "payload-too-large");
        assertThat(sent.get()).isLessThan(limit + 16 * MIB);
    }

    /**
     * Sends bad imports while {@code held} sends its body slowly, until one is refused. The two race for
     * the slot: when a probe takes it first, the held import is the one refused, and is started again.
     */
    private HttpResponse<String> whileHeld(HeldImport held, String path) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        HttpResponse<String> r;
        do {
            held.restartIfAnswered();
            r = send(path, TestTokens.platformAdmin(), "not json\n");
        } while (r.statusCode() != 503 && System.nanoTime() < deadline);
        return r;
    }

    private HttpResponse<String> send(String path, String token, String body) throws Exception {
        return client.send(request(path, token, new java.io.ByteArrayInputStream(body.getBytes())), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String path, String token, InputStream body) {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/x-ndjson").header("Accept", "application/json")
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofInputStream(() -> body));
        return token == null ? b.build() : b.header("Authorization", "Bearer " + token).build();
    }

    /** An import sent by hand, chunked: its first line now, the end of its body only when the test says. */
    private static final class HeldImport {
        private final String path;
        private java.net.Socket socket;

        HeldImport(String path) throws java.io.IOException {
            this.path = path;
            start();
        }

        private void start() throws java.io.IOException {
            int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
            socket = new java.net.Socket("127.0.0.1", port);
            String line = "not json either\n";
            write("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TestTokens.platformAdmin()
                    + "\r\nContent-Type: application/x-ndjson\r\nAccept: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(line.length()) + "\r\n" + line + "\r\n");
        }

        /** Refused (an answer came before the body ended): try again. */
        void restartIfAnswered() throws Exception {
            Thread.sleep(300);
            if (socket.getInputStream().available() > 0) {
                socket.close();
                start();
                Thread.sleep(300);
            }
        }

        /** Ends the body and returns the answer as text. */
        String finish() throws java.io.IOException {
            write("0\r\n\r\n");
            socket.setSoTimeout(60_000);
            byte[] head = new byte[64];
            int n = socket.getInputStream().read(head);
            socket.close();
            return n <= 0 ? "" : new String(head, 0, n, java.nio.charset.StandardCharsets.US_ASCII);
        }

        private void write(String text) throws java.io.IOException {
            socket.getOutputStream().write(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
        }
    }

    /** {@code size} bytes of 'x', made as they are read, counting what was read. */
    private static final class Filler extends InputStream {
        private final long size;
        private final AtomicLong read;

        Filler(long size, AtomicLong read) {
            this.size = size;
            this.read = read;
        }

        @Override
        public int read() {
            return read.getAndIncrement() < size ? 'x' : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            long left = size - read.get();
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            java.util.Arrays.fill(b, off, off + n, (byte) 'x');
            read.addAndGet(n);
            return n;
        }
    }
}
