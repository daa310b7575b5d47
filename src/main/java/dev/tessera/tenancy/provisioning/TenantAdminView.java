package dev.tessera.tenancy.provisioning;

import java.time.OffsetDateTime;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.tessera.tenancy.IsolationMode;
import dev.tessera.tenancy.TenantState;

/**
 * A tenant as platform administrators see it; {@code schema} only for SCHEMA tenants, the {@code oidc*}
 * fields only for a tenant with its own identity provider.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TenantAdminView(UUID id, String slug, String name, String plan, IsolationMode isolation, TenantState state,
        boolean legalHold, String oidcIssuer, String oidcJwksUrl, String oidcAudience, OffsetDateTime createdAt,
        OffsetDateTime updatedAt, Schema schema) {

    /** Migration state of a dedicated schema. */
    public record Schema(String name, String version, String latestVersion, String status) {
    }
}
