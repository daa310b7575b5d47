package dev.tessera.limits;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.shared.error.Conflict;
import dev.tessera.shared.error.NotFound;
import dev.tessera.shared.error.ProblemType;
import dev.tessera.shared.error.SqlStates;
import dev.tessera.tenancy.TenantEntity;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Reads and replaces a tenant's limit overrides. Writes go through the owner function
 * {@code tessera.tenant_set_limits} (platform V013), which locks the row and records the change in
 * platform_audit in the same transaction; tessera_app cannot update the column itself. This instance's
 * tenant caches are cleared at once; every other instance sees the change when its cache entry expires
 * ({@code quarkus.cache.caffeine.tenants.expire-after-write}, 5 s).
 */
@ApplicationScoped
public class LimitOverridesStore {

    private final Cache tenants;
    private final Cache issuers;

    LimitOverridesStore(@CacheName("tenants") Cache tenants, @CacheName("tenant-issuers") Cache issuers) {
        this.tenants = tenants;
        this.issuers = issuers;
    }

    /** The tenant row (404 if there is none). */
    public Uni<TenantEntity> find(UUID id) {
        return Panache.withSession(() -> TenantEntity.<TenantEntity>findById(id))
                .onItem().ifNull().failWith(() -> new NotFound("Tenant"));
    }

    /** Replaces the tenant's overrides (NONE: back to the plan); recorded if they changed. Returns the row after. */
    public Uni<TenantEntity> replace(UUID id, LimitOverrides overrides, String actor) {
        return Panache.withTransaction(() -> TenantEntity.getSession().flatMap(s -> s
                .createNativeQuery("SELECT tessera.tenant_set_limits(:id, cast(cast(:limits as text) as jsonb), :actor)")
                .setParameter("id", id).setParameter("limits", overrides.toJson().encode()).setParameter("actor", actor)
                .getSingleResult()))
                .onFailure().transform(LimitOverridesStore::refused)
                .call(() -> tenants.invalidateAll().call(issuers::invalidateAll))
                .chain(() -> find(id));
    }

    private static Throwable refused(Throwable e) {
        if (SqlStates.messageOf(e, "P0002").isPresent()) {
            return new NotFound("Tenant");
        }
        return SqlStates.messageOf(e, SqlStates.CHECK_VIOLATION)
                .<Throwable>map(m -> new Conflict(ProblemType.TENANT_STATE_CONFLICT,
                        Character.toUpperCase(m.charAt(0)) + m.substring(1)))
                .orElse(e);
    }
}
