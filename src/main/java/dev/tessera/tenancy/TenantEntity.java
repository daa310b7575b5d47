package dev.tessera.tenancy;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import dev.tessera.limits.LimitOverrides;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * Row of tessera.tenants, through Hibernate Reactive Panache (platform data: no tenant context, no RLS).
 * Slug, isolation, schema and creation time are immutable: tessera_app may update only name, plan,
 * legal hold and updated_at (column grants), and the mapping says the same. State, shred_after and the
 * identity provider registration change only through the owner functions of platform V011, which check
 * the change on the row and record it (provisioning/TenantLifecycle); the limit overrides only through
 * tenant_set_limits (platform V013, limits/LimitOverridesStore).
 */
@Entity
@Table(name = "tenants", schema = "tessera")
public class TenantEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false, updatable = false, columnDefinition = "text")
    public String slug;

    @Column(nullable = false, columnDefinition = "text")
    public String name;

    @Column(nullable = false, columnDefinition = "text")
    public String plan;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, updatable = false, columnDefinition = "text")
    public IsolationMode isolation;

    /** PROVISIONING when inserted (the column default); changed only by tessera.tenant_set_state / tenant_offboard. */
    @Enumerated(EnumType.STRING)
    @Column(nullable = false, insertable = false, updatable = false, columnDefinition = "text")
    public TenantState state;

    @Column(name = "schema_name", updatable = false, columnDefinition = "text")
    public String schemaName;

    @Column(name = "legal_hold", nullable = false)
    public boolean legalHold;

    /** Inserted with the tenant; changed only by tessera.tenant_set_identity_provider. */
    @Column(name = "oidc_issuer", updatable = false, columnDefinition = "text")
    public String oidcIssuer;

    @Column(name = "oidc_jwks_url", updatable = false, columnDefinition = "text")
    public String oidcJwksUrl;

    @Column(name = "oidc_audience", updatable = false, columnDefinition = "text")
    public String oidcAudience;

    /** While OFFBOARDING: when the keys are destroyed. Set only by tessera.tenant_offboard. */
    @Column(name = "shred_after", insertable = false, updatable = false)
    public OffsetDateTime shredAfter;

    /** Set by the database (tessera_keys.shred_tenant_keys) only: the service may not write it. */
    @Column(name = "shredded_at", insertable = false, updatable = false)
    public OffsetDateTime shreddedAt;

    /** Overrides of the plan's limits as JSON ({} by default); changed only by tessera.tenant_set_limits. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "limits", nullable = false, insertable = false, updatable = false, columnDefinition = "jsonb")
    public String limits;

    @Column(name = "created_at", nullable = false, updatable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    public Tenant toTenant() {
        return new Tenant(id, slug, name, plan, isolation, state, schemaName,
                oidcIssuer == null ? null : new IdentityProvider(oidcIssuer, oidcJwksUrl, oidcAudience),
                LimitOverrides.fromJson(limits));
    }
}
