package dev.tessera.tenancy.provisioning;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.shared.error.Conflict;
import dev.tessera.shared.error.InvalidInput;
import dev.tessera.shared.error.NotFound;
import dev.tessera.shared.error.ProblemType;
import dev.tessera.tenancy.TenantEntity;
import dev.tessera.tenancy.TenantState;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/**
 * Starts the offboarding of a tenant: it stops being served at once (403 tenant-inactive), its data
 * stays readable for the export window, and then the key-shredding job destroys its keys. Recorded in
 * platform_audit in the same transaction; asking again changes nothing.
 */
@ApplicationScoped
public class TenantOffboarding {

    private final OffboardingConfig config;
    private final Cache tenantCache;
    private final TenantLifecycle lifecycle;

    TenantOffboarding(OffboardingConfig config, @CacheName("tenants") Cache tenantCache, TenantLifecycle lifecycle) {
        this.config = config;
        this.tenantCache = tenantCache;
        this.lifecycle = lifecycle;
    }

    /** The export window a request asks for ({@code null}: the configured default), validated. */
    public Duration exportWindow(String requested) {
        if (requested == null) {
            return config.exportWindow();
        }
        Duration window;
        try {
            window = Duration.parse(requested);
        } catch (DateTimeParseException e) {
            throw invalidWindow();
        }
        if (window.isNegative() || window.compareTo(config.maxExportWindow()) > 0) {
            throw invalidWindow();
        }
        return window;
    }

    /** Moves an ACTIVE or SUSPENDED tenant to OFFBOARDING; an offboarding or offboarded one is returned unchanged. */
    public Uni<TenantEntity> offboard(UUID id, Duration window, String actor) {
        return Panache.withTransaction(() -> TenantEntity.<TenantEntity>findById(id).flatMap(t -> {
            if (t == null) {
                return Uni.createFrom().failure(new NotFound("Tenant"));
            }
            if (t.state == TenantState.OFFBOARDING || t.state == TenantState.OFFBOARDED) {
                return Uni.createFrom().item(t);
            }
            if (t.state == TenantState.PROVISIONING) {
                return Uni.createFrom().failure(new Conflict(ProblemType.TENANT_STATE_CONFLICT,
                        "A tenant still provisioning cannot be offboarded; activate it first"));
            }
            // The function sets the state and the due date (never sooner than the database's floor) and
            // records from, to and shredAfter beside the window asked for.
            return lifecycle.offboard(t, window, actor, new JsonObject().put("exportWindow", window.toString()));
        })).call(tenantCache::invalidateAll)
                .invoke(t -> Log.infof("Offboarding of tenant %s: %s, keys destroyed after %s", t.slug, t.state, t.shredAfter));
    }

    private InvalidInput invalidWindow() {
        return new InvalidInput("exportWindow",
                "must be an ISO-8601 duration from PT0S to " + config.maxExportWindow() + ", e.g. P30D");
    }
}
