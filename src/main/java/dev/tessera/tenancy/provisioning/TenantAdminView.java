package dev.tessera.tenancy.provisioning;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.tessera.tenancy.IsolationMode;
import dev.tessera.tenancy.TenantEntity;
import dev.tessera.tenancy.TenantState;

/**
 * A tenant as platform administrators see it; {@code schema} only for SCHEMA tenants, the {@code oidc*}
 * fields only for a tenant with its own identity provider, {@code keys} only when one tenant is asked for.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TenantAdminView(UUID id, String slug, String name, String plan, IsolationMode isolation, TenantState state,
        boolean legalHold, String oidcIssuer, String oidcJwksUrl, String oidcAudience, OffsetDateTime shredAfter,
        OffsetDateTime shreddedAt, OffsetDateTime createdAt, OffsetDateTime updatedAt, Schema schema, Keys keys) {

    public static TenantAdminView of(TenantEntity t, Schema schema, Keys keys) {
        return new TenantAdminView(t.id, t.slug, t.name, t.plan, t.isolation, t.state, t.legalHold, t.oidcIssuer,
                t.oidcJwksUrl, t.oidcAudience, t.shredAfter, t.shreddedAt, t.createdAt, t.updatedAt, schema, keys);
    }

    /** Migration state of a dedicated schema. */
    public record Schema(String name, String version, String latestVersion, String status) {
    }

    /**
     * The tenant's key versions ({@code current}: the one new writes use; none after crypto-shredding) and
     * its last rotation as run by this instance, if any.
     */
    public record Keys(Integer current, List<KeyVersion> versions, Rotation rotation) {
    }

    /** One key version. */
    public record KeyVersion(int version, OffsetDateTime createdAt, OffsetDateTime retiredAt) {
    }

    /** Progress of a key rotation: rows of older versions re-encrypted so far, of those found at the start. */
    public record Rotation(int version, String state, long rowsTotal, long rowsDone, long rowsRemaining,
            OffsetDateTime startedAt, OffsetDateTime finishedAt) {
    }
}
