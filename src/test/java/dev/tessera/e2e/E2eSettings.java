package dev.tessera.e2e;

/** Where the end-to-end tests find Keycloak, PostgreSQL and PgBouncer: system properties with local defaults. */
final class E2eSettings {

    private E2eSettings() {
    }

    static String get(String name, String fallback) {
        String v = System.getProperty(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    /** The realm's issuer, as the service is configured with it ({@code TESSERA_OIDC_SERVER_URL}). */
    static String realmUrl() {
        return get("tessera.e2e.keycloak-url", "http://127.0.0.1:18180") + "/realms/tessera";
    }

    /** The issuer of the second realm, which plays a tenant's own identity provider (e2e/realms/umbrella-idp-realm.json). */
    static String tenantIdpRealmUrl() {
        return get("tessera.e2e.keycloak-url", "http://127.0.0.1:18180") + "/realms/umbrella-idp";
    }

    static String pgbouncerPort() {
        return get("tessera.e2e.pgbouncer-port", "6432");
    }
}
