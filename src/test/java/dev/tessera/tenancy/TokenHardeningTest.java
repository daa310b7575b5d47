package dev.tessera.tenancy;

import static dev.tessera.testing.Api.as;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import dev.tessera.testing.Api;
import dev.tessera.testing.TestTokens;
import dev.tessera.testing.TwoTenants;
import io.quarkus.test.junit.QuarkusTest;

/** Forged, altered and misused tokens: always 401 or 403 problem+json (or 404 for another tenant's data), never 200 or 500. */
@QuarkusTest
class TokenHardeningTest {

    private static final String UNAUTHORIZED = "https://tessera.dev/problems/unauthorized";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    @Test
    void unsignedTokenWithAlgNoneIs401() {
        TwoTenants t = TwoTenants.create();
        String payload = payloadOf(t.memberA());

        String forged = B64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + payload + ".";

        assertUnauthorized(forged);
    }

    @Test
    void hs256SignedWithThePublicKeyIs401() throws Exception {
        TwoTenants t = TwoTenants.create();
        String header = B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String input = header + "." + payloadOf(t.memberA());
        byte[] publicKey = Files.readAllBytes(Path.of("dev/keys/dev-signing-key.pub.pem"));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(publicKey, "HmacSHA256"));

        String forged = input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));

        assertUnauthorized(forged);
    }

    @Test
    void notYetValidTokenIs401() {
        TwoTenants t = TwoTenants.create();
        long future = System.currentTimeMillis() / 1000 + 3600;

        String token = TestTokens.claims("u").claim("tenant_id", t.slugA()).groups("tenant-member")
                .claim("nbf", future).issuedAt(future).expiresAt(future + 600).sign(TestTokens.devKey());

        assertUnauthorized(token);
    }

    @Test
    void tamperedPayloadIs401() {
        TwoTenants t = TwoTenants.create();
        String[] parts = t.memberA().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace(t.slugA(), t.slugB());

        String tampered = parts[0] + "." + B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        assertUnauthorized(tampered);
        as(t.memberB()).get("/api/products").then().statusCode(200);
    }

    @Test
    void unknownKeyIdSignedByAnotherKeyIs401() {
        TwoTenants t = TwoTenants.create();

        String token = TestTokens.claims("u").claim("tenant_id", t.slugA()).groups("tenant-member").jws().keyId("rotated-away")
                .sign(TestTokens.foreignKey());

        assertUnauthorized(token);
    }

    @Test
    void aTenantsTokenReplayedAgainstAnotherTenantsDataFindsNothing() {
        TwoTenants t = TwoTenants.create();
        String productOfB = as(t.memberB()).body(Api.productJson("b")).post("/api/products").then().statusCode(201)
                .extract().path("id");

        as(t.memberA()).get("/api/products/" + productOfB).then().statusCode(404)
                .contentType("application/problem+json");
        as(t.memberA()).delete("/api/products/" + productOfB).then().statusCode(404);
        as(t.memberB()).get("/api/products/" + productOfB).then().statusCode(200);
    }

    @Test
    void tokenWithATenantClaimOfTheWrongTypeIs403() {
        String token = TestTokens.claims("u").claim("tenant_id", 12345).groups("tenant-member").sign(TestTokens.devKey());

        as(token).get("/api/products").then().statusCode(403)
                .body("type", equalTo("https://tessera.dev/problems/tenant-claim-missing"));
    }

    private static String payloadOf(String token) {
        return token.split("\\.")[1];
    }

    private static void assertUnauthorized(String token) {
        as(token).get("/api/products").then().statusCode(401).contentType("application/problem+json")
                .body("type", equalTo(UNAUTHORIZED));
    }
}
