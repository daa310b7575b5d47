package dev.tessera.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/**
 * A tenant's own identity provider for tests: an issuer on 127.0.0.1 with its own RSA key, serving
 * {@code <issuer>/.well-known/openid-configuration} and {@code <issuer>/jwks} like Keycloak does, and
 * minting tokens signed with that key. One in-process HTTP server (daemon threads) serves every instance.
 */
public final class TestIdp {

    private static final Map<String, TestIdp> BY_NAME = new ConcurrentHashMap<>();
    private static HttpServer server;

    private final String name;
    private final KeyPair keys;
    private final String keyId;
    /** What discovery says instead of the truth: another jwks_uri, or a redirect elsewhere (SSRF tests). */
    private volatile String discoveredJwksUri;
    private volatile String discoveryRedirect;

    private TestIdp(String name, KeyPair keys) {
        this.name = name;
        this.keys = keys;
        this.keyId = "kid-" + name;
    }

    /** A new identity provider with a fresh key and a unique issuer, already served. */
    public static TestIdp create() {
        TestIdp idp = new TestIdp("idp-" + UUID.randomUUID().toString().substring(0, 8), newKeyPair());
        BY_NAME.put(idp.name, idp);
        start();
        return idp;
    }

    /** The port every test IdP is served on (starting the server if needed). */
    public static int port() {
        start();
        return server.getAddress().getPort();
    }

    /** Discovery names {@code uri} as this IdP's jwks_uri (an IdP trying to point the service elsewhere). */
    public TestIdp discoveringJwksAt(String uri) {
        this.discoveredJwksUri = uri;
        return this;
    }

    /** Discovery answers 302 to {@code location} (an IdP trying to redirect the service elsewhere). */
    public TestIdp redirectingDiscoveryTo(String location) {
        this.discoveryRedirect = location;
        return this;
    }

    public String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/idp/" + name;
    }

    public String jwksUrl() {
        return issuer() + "/jwks";
    }

    /** Claims of a valid token of this issuer for the platform's audience; callers add or break what they test. */
    public JwtClaimsBuilder claims(String subject) {
        return Jwt.issuer(issuer()).audience(TestTokens.AUDIENCE).subject(subject).upn(subject).expiresIn(300);
    }

    /** A token of this IdP with the given roles in {@code groups} and no tenant claim. */
    public String token(String... roles) {
        return sign(claims(name + "-user").groups(java.util.Set.of(roles)));
    }

    public String sign(JwtClaimsBuilder claims) {
        return claims.jws().keyId(keyId).sign(keys.getPrivate());
    }

    /** Signs with another key under this IdP's key id: what a forger without the private key could do. */
    public String signWithForeignKey(JwtClaimsBuilder claims) {
        PrivateKey other = newKeyPair().getPrivate();
        return claims.jws().keyId(keyId).sign(other);
    }

    private static synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-idp");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/idp/", TestIdp::serve);
        server.start();
    }

    private static void serve(HttpExchange exchange) throws IOException {
        String[] path = exchange.getRequestURI().getPath().split("/", 4); // "", "idp", name, rest
        TestIdp idp = path.length == 4 ? BY_NAME.get(path[2]) : null;
        String body = idp == null ? null : switch (path[3]) {
            case ".well-known/openid-configuration" -> idp.discovery();
            case "jwks" -> idp.jwks();
            default -> null;
        };
        if (idp != null && idp.discoveryRedirect != null && path[3].equals(".well-known/openid-configuration")) {
            exchange.getResponseHeaders().add("Location", idp.discoveryRedirect);
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
            return;
        }
        byte[] bytes = (body == null ? "{}" : body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private String discovery() {
        return """
                {"issuer":"%1$s","jwks_uri":"%1$s/jwks","token_endpoint":"%1$s/token","authorization_endpoint":"%1$s/auth",
                 "id_token_signing_alg_values_supported":["RS256"]}""".formatted(issuer())
                .replace(issuer() + "/jwks", discoveredJwksUri == null ? issuer() + "/jwks" : discoveredJwksUri);
    }

    private String jwks() {
        RSAPublicKey key = (RSAPublicKey) keys.getPublic();
        return """
                {"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":"%s","n":"%s","e":"%s"}]}"""
                .formatted(keyId, base64(key.getModulus()), base64(key.getPublicExponent()));
    }

    private static String base64(BigInteger value) {
        byte[] bytes = value.toByteArray();
        int skip = bytes.length > 1 && bytes[0] == 0 ? 1 : 0; // unsigned big-endian, as JWK wants
        return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOfRange(bytes, skip, bytes.length));
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
