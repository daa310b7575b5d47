package dev.tessera.tenancy.idp;

import static dev.tessera.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.tessera.tenancy.IsolationMode;
import dev.tessera.testing.TestIdp;
import dev.tessera.testing.TestTokens;
import dev.tessera.testing.TwoTenants;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;

/**
 * Server-side request forgery through a tenant's own identity provider (issue 21, item 8). The operator
 * allows one loopback host:port, the test IdPs' server; a trap on another loopback port counts every
 * connection made to it. Each trick a registration or an IdP could play must be refused without a single
 * connection reaching the trap, while a well-behaved IdP on the allowed host keeps working.
 */
@QuarkusTest
@TestProfile(IdpRequestGuardTest.OneAllowedHost.class)
class IdpRequestGuardTest {

    private static final String PROBLEM = "https://tessera.dev/problems/";

    /** As in production (https only, nothing private), except the test IdPs' own host:port. */
    public static class OneAllowedHost implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tessera.tenancy.idp.allowed-hosts", "127.0.0.1:" + TestIdp.port(),
                    "tessera.tenancy.idp.allow-http", "false");
        }
    }

    static ServerSocket trap;
    static final AtomicInteger connections = new AtomicInteger();

    @BeforeAll
    static void trap() throws IOException {
        trap = new ServerSocket();
        trap.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread accept = new Thread(() -> {
            while (!trap.isClosed()) {
                try (Socket s = trap.accept()) {
                    connections.incrementAndGet();
                } catch (IOException e) {
                    return;
                }
            }
        }, "ssrf-trap");
        accept.setDaemon(true);
        accept.start();
    }

    @AfterAll
    static void closeTrap() throws IOException {
        trap.close();
    }

    @ParameterizedTest
    @ValueSource(strings = { "https://127.0.0.1:%d/realms/x", "http://127.0.0.1:%d/realms/x", "https://localhost:%d/x",
            "https://10.1.2.3/realms/x", "https://192.168.0.10/x", "https://172.16.5.5/x", "https://169.254.169.254/latest/x",
            "https://100.64.0.1/x", "https://0.0.0.0/x", "https://2130706433/x", "https://[::1]/x", "https://[fd00::1]/x",
            "https://[fe80::1]/x", "https://[::ffff:127.0.0.1]/x", "https://[::ffff:169.254.169.254]/x",
            "http://idp.example.com/realms/x" })
    void aRegistrationNamingALocalPrivateOrPlainHttpHostIs400(String issuer) {
        String id = TwoTenants.create().idA().toString();

        as(TestTokens.platformAdmin()).body("{\"oidcIssuer\":\"" + issuer.formatted(trap.getLocalPort()) + "-" + UUID.randomUUID() + "\"}")
                .patch("/admin/tenants/" + id).then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("oidcIssuer"));
        assertThat(connections).hasValue(0);
    }

    @Test
    void aJwksUrlOffTheIssuersOriginIs400() {
        String id = TwoTenants.create().idA().toString();

        as(TestTokens.platformAdmin()).body("""
                {"oidcIssuer":"https://idp.example.com/realms/x-%s","oidcJwksUrl":"https://keys.example.net/jwks"}"""
                .formatted(UUID.randomUUID())).patch("/admin/tenants/" + id).then().statusCode(400)
                .body("errors[0].field", equalTo("oidcJwksUrl"));
    }

    @Test
    void anIdpOnTheAllowedHostWorks() {
        TestIdp idp = TestIdp.create();
        TwoTenants t = registered(idp);

        as(idp.token("tenant-member")).get("/api/tenant").then().statusCode(200).body("id", equalTo(t.idA().toString()));
    }

    @ParameterizedTest
    @EnumSource(IsolationMode.class)
    void aDiscoveredJwksUriOffTheIssuersOriginIsNeverFetchedAndTheOtherTenantIsUnaffected(IsolationMode mode) {
        TestIdp idp = TestIdp.create().discoveringJwksAt("http://127.0.0.1:" + trap.getLocalPort() + "/jwks");
        TwoTenants t = registered(idp, mode);

        refused(idp);
        assertThat(connections).hasValue(0);
        as(t.memberB()).get("/api/tenant").then().statusCode(200).body("id", equalTo(t.idB().toString()));
        as(t.memberA()).get("/api/tenant").then().statusCode(403).body("type", equalTo(PROBLEM + "tenant-requires-own-idp"));
    }

    @Test
    void aRedirectedDiscoveryIsNotFollowed() {
        TestIdp idp = TestIdp.create().redirectingDiscoveryTo("http://127.0.0.1:" + trap.getLocalPort() + "/.well-known/openid-configuration");
        registered(idp);

        refused(idp);
        assertThat(connections).hasValue(0);
    }

    @Test
    void aNameThatResolvesToLoopbackIsRefusedAfterResolution() throws Exception {
        // The machine's own host name is a name, so registration accepts it; it resolves to a loopback or
        // private address (these machines: /etc/hosts maps it to 127.0.0.1), which the guard must refuse.
        String name = InetAddress.getLocalHost().getHostName();
        assertThat(InetAddress.getAllByName(name)).as("this test needs the host name %s to resolve to a non-public address", name)
                .allSatisfy(a -> assertThat(a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress()).isTrue());
        String id = TwoTenants.create().idA().toString();
        String issuer = "https://" + name + ":" + trap.getLocalPort() + "/idp-" + UUID.randomUUID();
        as(TestTokens.platformAdmin()).body("{\"oidcIssuer\":\"" + issuer + "\"}").patch("/admin/tenants/" + id).then()
                .statusCode(200);
        TestIdp signer = TestIdp.create();

        as(signer.sign(io.smallrye.jwt.build.Jwt.issuer(issuer).audience(TestTokens.AUDIENCE).subject("u").expiresIn(300)))
                .get("/api/tenant").then().statusCode(401);
        assertThat(connections).hasValue(0);
    }

    private static TwoTenants registered(TestIdp idp) {
        return registered(idp, IsolationMode.SHARED);
    }

    /** A of this mode registered with {@code idp}; B of the other mode, on the platform IdP. */
    private static TwoTenants registered(TestIdp idp, IsolationMode mode) {
        TwoTenants t = TwoTenants.create(mode, mode == IsolationMode.SHARED ? IsolationMode.SCHEMA : IsolationMode.SHARED);
        as(TestTokens.platformAdmin()).body("{\"oidcIssuer\":\"" + idp.issuer() + "\"}").patch("/admin/tenants/" + t.idA())
                .then().statusCode(200);
        return t;
    }

    private static ValidatableResponse refused(TestIdp idp) {
        return as(idp.token("tenant-member")).get("/api/tenant").then().statusCode(401)
                .contentType("application/problem+json").body("type", equalTo(PROBLEM + "unauthorized"));
    }
}
