package dev.tessera.security;

import static dev.tessera.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.tessera.tenancy.IsolationMode;
import dev.tessera.testing.TestTokens;
import dev.tessera.testing.TwoTenants;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Long tokens cannot fill memory: the verified-token cache is bounded by the bytes its entries hold (here
 * a bound of 64K), and a token over the length limit is refused with 401 before it is verified.
 */
@QuarkusTest
@TestProfile(TokenWeightTest.SmallCache.class)
class TokenWeightTest {

    /** A cache of 64 KiB: a handful of long tokens outweigh it. */
    public static class SmallCache implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tessera.security.token-cache.maximum-weight", "64K");
        }
    }

    @jakarta.inject.Inject
    VerifiedTokenCache cache;

    @Test
    void longTokensAreRememberedOnlyUpToTheCachesWeightInBytes() {
        String slug = TwoTenants.provision(IsolationMode.SHARED);

        for (int i = 0; i < 12; i++) {
            as(padded(slug, 8_000)).get("/api/tenant").then().statusCode(200).body("slug", equalTo(slug));
        }

        // Twelve tokens of about 11 KiB weigh about 34 KiB each: 64 KiB holds one.
        assertThat(cache.weightedSize()).isLessThanOrEqualTo(64 * 1024);
        assertThat(cache.weightedSize()).isPositive();
    }

    @Test
    void aTokenOverTheLengthLimitIs401BeforeVerification() {
        String slug = TwoTenants.provision(IsolationMode.SHARED);
        String longToken = padded(slug, 12_500);
        long misses = cache.misses();

        as(longToken).get("/api/tenant").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Bearer"))
                .body("type", equalTo("https://tessera.dev/problems/unauthorized"));

        assertThat(longToken.length()).isBetween(16 * 1024 + 1, 19 * 1024);
        assertThat(cache.misses()).as("tokens verified").isEqualTo(misses);
        as(padded(slug, 8_000)).get("/api/tenant").then().statusCode(200);
    }

    /** A valid member token of the tenant, made long by a claim of {@code padding} characters. */
    private static String padded(String slug, int padding) {
        return TestTokens.claims("long-" + java.util.UUID.randomUUID()).claim("tenant_id", slug)
                .claim("padding", "p".repeat(padding)).groups(Set.of("tenant-member")).sign(TestTokens.devKey());
    }
}
