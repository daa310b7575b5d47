package dev.tessera.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

import dev.tessera.testing.TestTokens;
import io.quarkus.oidc.TenantIdentityProvider;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The principal of a token verified by quarkus-oidc is the type VerifiedClaims reads directly. If an
 * upgrade changes it, tenant resolution keeps working the slow way and this test is what says so.
 */
@QuarkusTest
class VerifiedClaimsTest {

    @Inject
    TenantIdentityProvider oidc;

    @Test
    void aVerifiedTokensClaimsAreReadDirectly() {
        String token = TestTokens.member("acme");

        SecurityIdentity identity = oidc.authenticate(new AccessTokenCredential(token)).await().atMost(Duration.ofSeconds(10));

        JsonWebToken principal = (JsonWebToken) identity.getPrincipal();
        assertThat(VerifiedClaims.readsDirectly(principal)).as("principal type %s", principal.getClass().getName()).isTrue();
        assertThat(VerifiedClaims.of(principal, "tenant_id")).hasToString("acme");
        assertThat(VerifiedClaims.of(principal, "no-such-claim")).isNull();
    }
}
