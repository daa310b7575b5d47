package dev.tessera.security;

/** Role names carried by tokens (Keycloak realm roles or a plain groups claim). */
public final class Roles {

    /** Everyday use of a tenant's catalog, customers and orders. */
    public static final String TENANT_MEMBER = "tenant-member";
    /** Member rights plus audit, deleted records, restore and PII in clear. */
    public static final String TENANT_ADMIN = "tenant-admin";
    /** Reads customers' PII in clear without the rest of tenant-admin's rights. */
    public static final String PII_READER = "pii-reader";
    /** Tenant administration across the platform; has no tenant of its own. */
    public static final String PLATFORM_ADMIN = "platform-admin";

    /** Platform support staff: no tenant of its own; acts for a tenant only under a support grant. */
    public static final String PLATFORM_SUPPORT = "platform-support";

    private Roles() {
    }
}
