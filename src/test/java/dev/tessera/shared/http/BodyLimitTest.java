package dev.tessera.shared.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.tessera.tenancy.IsolationMode;
import dev.tessera.testing.TestTokens;
import dev.tessera.testing.TwoTenants;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * Request bodies are held to 256 KiB on every route however they are sent: a chunked body (no
 * Content-Length) is refused with 413 problem+json once the limit has been read, not read in full.
 */
@QuarkusTest
class BodyLimitTest {

    private static final long MIB = 1024 * 1024;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @ParameterizedTest
    @ValueSource(strings = { "/api/products", "/api/customers", "/api/orders", "/admin/tenants", "/api/no-such-route" })
    void aChunked40MiBBodyIsRefusedWith413BeforeItIsReadInFull(String path) throws Exception {
        String slug = TwoTenants.provision(IsolationMode.SHARED);
        String token = path.startsWith("/admin") ? TestTokens.platformAdmin() : TestTokens.member(slug);
        AtomicLong sent = new AtomicLong();

        HttpResponse<String> response = post(path, token, new EndlessJson(40 * MIB, sent));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(new JsonObject(response.body()).getString("type")).isEqualTo("https://tessera.dev/problems/payload-too-large");
        // Socket buffers on both sides take a few MiB before the refusal stops the client; 40 do not fit.
        assertThat(sent.get()).isLessThan(16 * MIB);
    }

    @ParameterizedTest
    @EnumSource(IsolationMode.class)
    void aChunkedBodyUnderTheLimitIsReadAsUsual(IsolationMode mode) throws Exception {
        String token = TestTokens.member(TwoTenants.provision(mode));
        String sku = "CH-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        // 200 KiB of JSON whitespace: under the limit, over Quarkus REST's in-memory input buffer.
        byte[] body = ("{\"sku\":\"" + sku + "\"," + " ".repeat(200 * 1024) + "\"name\":\"n\",\"price\":1.00,\"currency\":\"EUR\"}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);

        HttpResponse<String> response = post("/api/products", token, new java.io.ByteArrayInputStream(body));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(new JsonObject(response.body()).getString("sku")).isEqualTo(sku);
    }

    @org.junit.jupiter.api.Test
    void aClientThatAsksForAnH2cUpgradeIsServedOverHttp11AndStillHeldToTheLimit() throws Exception {
        // Java's HttpClient asks for HTTP/2 cleartext by default; an upgraded request once failed with 500.
        HttpClient h2c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String token = TestTokens.member(TwoTenants.provision(IsolationMode.SHARED));
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        URI products = URI.create("http://127.0.0.1:" + port + "/api/products");

        HttpResponse<String> created = h2c.send(HttpRequest.newBuilder(products).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        dev.tessera.testing.Api.productJson("upgraded"))).build(), HttpResponse.BodyHandlers.ofString());
        AtomicLong sent = new AtomicLong();
        HttpResponse<String> refused = h2c.send(HttpRequest.newBuilder(products).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new EndlessJson(40 * MIB, sent))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(sent.get()).isLessThan(16 * MIB);
    }

    @org.junit.jupiter.api.Test
    void aClientThatExpects100ContinueIsToldToSendItsBody() throws Exception {
        String token = TestTokens.member(TwoTenants.provision(IsolationMode.SHARED));
        byte[] body = dev.tessera.testing.Api.productJson("continued").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);

        String interim;
        String answer;
        try (var socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("POST /api/products HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/json\r\nAccept: application/json\r\nExpect: 100-continue\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
            interim = in.readLine();
            socket.getOutputStream().write(body);
            in.readLine();
            answer = in.readLine();
        }

        assertThat(interim).isEqualTo("HTTP/1.1 100 Continue");
        assertThat(answer).startsWith("HTTP/1.1 201");
    }

    private HttpResponse<String> post(String path, String token, InputStream body) throws Exception {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        // ofInputStream has no length: the client sends the body chunked, with no Content-Length.
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .header("Accept", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A JSON string value that goes on for {@code size} bytes, made as it is read, counting what was read. */
    private static final class EndlessJson extends InputStream {
        private final long size;
        private final AtomicLong read;

        EndlessJson(long size, AtomicLong read) {
            this.size = size;
            this.read = read;
        }

        @Override
        public int read() {
            long n = read.getAndIncrement();
            if (n >= size) {
                return -1;
            }
            return n == 0 ? '"' : 'x';
        }

        @Override
        public int read(byte[] b, int off, int len) {
            long left = size - read.get();
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            java.util.Arrays.fill(b, off, off + n, (byte) 'x');
            if (read.get() == 0 && n > 0) {
                b[off] = '"';
            }
            read.addAndGet(n);
            return n;
        }
    }
}
