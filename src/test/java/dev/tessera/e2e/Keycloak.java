package dev.tessera.e2e;

import static io.restassured.RestAssured.given;

/** Access tokens from the e2e realms' password grant (users and clients of e2e/realms/*.json). */
final class Keycloak {

    /** Client whose tokens carry {@code aud: tessera-api} and the {@code tenant_id} claim. */
    static final String TESSERA_CLIENT = "tessera-e2e";
    /** Client of the same realm whose tokens are meant for another API (no tessera-api audience). */
    static final String OTHER_CLIENT = "other-app";

    private Keycloak() {
    }

    static String token(String user) {
        return token(TESSERA_CLIENT, user);
    }

    static String token(String client, String user) {
        return token(E2eSettings.realmUrl(), client, user);
    }

    /** A token of the tenant's own identity provider (realm umbrella-idp). */
    static String tenantIdpToken(String client, String user) {
        return token(E2eSettings.tenantIdpRealmUrl(), client, user);
    }

    private static String token(String realmUrl, String client, String user) {
        return given().baseUri(realmUrl).formParam("grant_type", "password").formParam("client_id", client)
                .formParam("username", user).formParam("password", user + "-e2e-pw")
                .post("/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }
}
