package dev.tessera.tenancy.idp;

import static dev.tessera.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tessera.tenancy.IsolationMode;
import dev.tessera.testing.TestIdp;
import dev.tessera.testing.TestTokens;
import dev.tessera.testing.TwoTenants;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.cache.CaffeineCache;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The unverified issuer of a token is caller-chosen text: one that no tenant registered is refused with
 * 401 from the in-memory set of registered issuers, never looked up in the tenant directory (whose lookup
 * is cached under the issuer: a lookup would leave the issuer among the cache's keys).
 */
@QuarkusTest
class RegisteredIssuersTest {

    @Inject
    @CacheName("tenant-issuers")
    Cache issuerLookups;

    @Inject
    RegisteredIssuers registered;

    @Test
    void issuersThatNoTenantRegisteredAreRefusedWithoutALookup() {
        List<String> strangers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            strangers.add("https://idp-" + UUID.randomUUID() + ".example.com/realms/" + i);
        }
        TestIdp unregistered = TestIdp.create();
        strangers.add(unregistered.issuer());

        for (String issuer : strangers) {
            String token = TestTokens.claims("stranger").issuer(issuer).groups(java.util.Set.of("tenant-member"))
                    .sign(TestTokens.foreignKey());
            as(token).get("/api/tenant").then().statusCode(401).contentType("application/problem+json");
        }
        as(unregistered.token("tenant-member")).get("/api/tenant").then().statusCode(401);

        assertThat(issuerLookups.as(CaffeineCache.class).keySet()).doesNotContainAnyElementsOf(strangers);
    }

    @Test
    void anIssuerRegisteredOnThisInstanceIsKnownAtOnceAndLookedUp() {
        String slug = TwoTenants.provision(IsolationMode.SCHEMA);
        TestIdp idp = TestIdp.create();

        io.restassured.RestAssured.given().auth().oauth2(TestTokens.platformAdmin()).contentType("application/json")
                .body("{\"oidcIssuer\":\"" + idp.issuer() + "\"}")
                .patch("/admin/tenants/" + dev.tessera.testing.TestTenants.idOf(slug)).then().statusCode(200);

        as(idp.token("tenant-member")).get("/api/tenant").then().statusCode(200).body("slug", equalTo(slug));
        assertThat(registered.contains(idp.issuer()).await().atMost(java.time.Duration.ofSeconds(10))).isTrue();
        assertThat(issuerLookups.as(CaffeineCache.class).keySet()).contains(idp.issuer());
    }
}
