package dev.tessera.tenancy;

import java.util.UUID;

/** A tenant as the directory knows it. */
public record Tenant(UUID id, String slug, String name, String plan, IsolationMode isolation, TenantState state,
        String schemaName) {

    /** The schema whose tables this tenant's transactions read and write. */
    public String dataSchema() {
        return isolation == IsolationMode.SCHEMA ? schemaName : "tessera";
    }
}
