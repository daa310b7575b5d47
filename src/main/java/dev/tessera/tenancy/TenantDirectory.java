package dev.tessera.tenancy;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.cache.CacheResult;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Finds tenants by the value of the token's tenant claim (a slug or an id).
 *
 * <p>Results are cached for a few seconds (quarkus.cache.caffeine.tenants), so suspending a tenant
 * takes effect within that bound on every instance without a database read per request.
 */
@ApplicationScoped
public class TenantDirectory {

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern SLUG = Pattern.compile("[a-z0-9-]{3,63}");

    /** Tenants whose soft-deleted rows the retention purge may remove: served, and not on legal hold. */
    public Uni<java.util.List<Tenant>> purgeCandidates() {
        return Panache.withSession(() -> TenantEntity.<TenantEntity>list("state in ?1 and legalHold = false order by id",
                java.util.List.of(TenantState.ACTIVE, TenantState.SUSPENDED)))
                .map(rows -> rows.stream().map(TenantEntity::toTenant).toList());
    }

    /** Tenants whose data may still change, so whose audit rows the sealer visits: all but the offboarded and the unprovisioned. */
    public Uni<java.util.List<Tenant>> sealCandidates() {
        return Panache.withSession(() -> TenantEntity.<TenantEntity>list("state in ?1 order by id",
                java.util.List.of(TenantState.ACTIVE, TenantState.SUSPENDED, TenantState.OFFBOARDING)))
                .map(rows -> rows.stream().map(TenantEntity::toTenant).toList());
    }

    /**
     * The tenant whose own identity provider issues tokens with this {@code iss}, in any state (the caller
     * decides what a suspended one gets). Cached like {@link #byClaim}, in a cache of its own so that an
     * issuer can never be mistaken for a claim.
     */
    @CacheResult(cacheName = "tenant-issuers")
    public Uni<Optional<Tenant>> byIssuer(String issuer) {
        return Panache.withSession(() -> TenantEntity.<TenantEntity>find("oidcIssuer", issuer).firstResult())
                .map(e -> Optional.ofNullable(e).map(TenantEntity::toTenant));
    }

    /** OFFBOARDING tenants whose export window ended at {@code now}: their keys are due to be destroyed. */
    public Uni<java.util.List<Tenant>> dueForShredding(java.time.OffsetDateTime now) {
        return Panache.withSession(() -> TenantEntity.<TenantEntity>list("state = ?1 and shredAfter <= ?2 order by id",
                TenantState.OFFBOARDING, now)).map(rows -> rows.stream().map(TenantEntity::toTenant).toList());
    }

    @CacheResult(cacheName = "tenants")
    public Uni<Optional<Tenant>> byClaim(String claim) {
        if (UUID_TEXT.matcher(claim).matches()) {
            UUID id = UUID.fromString(claim);
            return Panache.withSession(() -> TenantEntity.<TenantEntity>findById(id))
                    .map(e -> Optional.ofNullable(e).map(TenantEntity::toTenant));
        }
        if (!SLUG.matcher(claim).matches()) {
            return Uni.createFrom().item(Optional.empty());
        }
        return Panache.withSession(() -> TenantEntity.<TenantEntity>find("slug", claim).firstResult())
                .map(e -> Optional.ofNullable(e).map(TenantEntity::toTenant));
    }
}
