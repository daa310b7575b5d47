package dev.tessera.tenancy.provisioning;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.shared.error.Conflict;
import dev.tessera.shared.error.Failure;
import dev.tessera.shared.error.NotFound;
import dev.tessera.shared.error.ProblemType;
import dev.tessera.shared.error.SqlStates;
import dev.tessera.shared.id.UuidV7;
import dev.tessera.tenancy.IsolationMode;
import dev.tessera.tenancy.TenantEntity;
import dev.tessera.tenancy.TenantState;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;

/**
 * Creating tenants and moving them through their lifecycle; every change is recorded in
 * platform_audit in the same transaction.
 *
 * <p>A SCHEMA tenant is inserted as PROVISIONING, its schema is created and migrated (as the owner, on
 * a worker thread), and only then is it made ACTIVE. If that fails, the schema and the row are removed
 * and the caller gets 500 provisioning-failed: nothing half-made can be used or is left behind.
 */
@ApplicationScoped
public class TenantProvisioning {

    private final TenantSchemas schemas;
    private final Vertx vertx;
    private final Cache tenantCache;
    private final Cache issuerCache;
    private final IdentityProviderRegistration idps;
    private final dev.tessera.tenancy.idp.RegisteredIssuers registeredIssuers;
    private final TenantLifecycle lifecycle;

    TenantProvisioning(TenantSchemas schemas, Vertx vertx, @CacheName("tenants") Cache tenantCache,
            @CacheName("tenant-issuers") Cache issuerCache, IdentityProviderRegistration idps,
            dev.tessera.tenancy.idp.RegisteredIssuers registeredIssuers, TenantLifecycle lifecycle) {
        this.lifecycle = lifecycle;
        this.schemas = schemas;
        this.vertx = vertx;
        this.tenantCache = tenantCache;
        this.issuerCache = issuerCache;
        this.idps = idps;
        this.registeredIssuers = registeredIssuers;
    }

    public Uni<TenantEntity> create(TenantAdminRequests.CreateTenant req, String actor) {
        TenantEntity t = new TenantEntity();
        t.id = UuidV7.next();
        t.slug = req.slug();
        t.name = req.name().strip();
        t.plan = req.plan() == null ? "standard" : req.plan();
        t.isolation = req.isolation() == null ? IsolationMode.SHARED : IsolationMode.valueOf(req.isolation());
        t.schemaName = t.isolation == IsolationMode.SCHEMA ? TenantSchemas.schemaNameFor(t.id) : null;
        t.state = TenantState.PROVISIONING;
        t.createdAt = OffsetDateTime.now();
        t.updatedAt = t.createdAt;
        idps.onCreate(t, req);
        JsonObject details = new JsonObject().put("slug", t.slug).put("plan", t.plan).put("isolation", t.isolation.name())
                .put("oidcIssuer", t.oidcIssuer);
        return Panache.withTransaction(() -> t.persist()
                .call(() -> audit(actor, "tenant.create", t.id, details)))
                .onFailure(SqlStates::isUniqueViolation).transform(e -> isIssuerTaken(e) ? issuerTaken()
                        : new Conflict(ProblemType.SLUG_TAKEN, "A tenant with slug '" + req.slug() + "' already exists"))
                .call(this::invalidateCaches)
                .flatMap(created -> provisionAndActivate(t.id, t.schemaName, actor));
    }

    public Uni<TenantEntity> suspend(UUID id, String actor) {
        return transition(id, actor, TenantState.SUSPENDED);
    }

    /** Activates a suspended tenant, or finishes (retries) the provisioning of a PROVISIONING one. */
    public Uni<TenantEntity> activate(UUID id, String actor) {
        return find(id).flatMap(t -> t.state == TenantState.PROVISIONING
                ? provisionAndActivate(t.id, t.schemaName, actor)
                : transition(id, actor, TenantState.ACTIVE));
    }

    public Uni<TenantEntity> update(UUID id, TenantAdminRequests.UpdateTenant req, String actor) {
        return Panache.withTransaction(() -> TenantEntity.<TenantEntity>findById(id).flatMap(t -> {
            if (t == null) {
                return Uni.createFrom().failure(new NotFound("Tenant"));
            }
            JsonObject details = new JsonObject();
            if (req.name() != null) {
                details.put("name", new JsonObject().put("from", t.name).put("to", req.name().strip()));
                t.name = req.name().strip();
            }
            if (req.legalHold() != null) {
                details.put("legalHold", new JsonObject().put("from", t.legalHold).put("to", req.legalHold()));
                t.legalHold = req.legalHold();
            }
            if (req.plan() != null) {
                details.put("plan", new JsonObject().put("from", t.plan).put("to", req.plan()));
                t.plan = req.plan();
            }
            idps.onUpdate(t, req, details);
            t.updatedAt = OffsetDateTime.now();
            return audit(actor, "tenant.update", id, details)
                    .chain(() -> req.changesIdentityProvider() ? lifecycle.setIdentityProvider(t, actor) : Uni.createFrom().item(t));
        })).onFailure(TenantProvisioning::isIssuerTaken).transform(e -> issuerTaken())
                // Both caches: a new, changed or cleared issuer takes effect at once here, within their TTL elsewhere.
                .call(this::invalidateCaches);
    }

    private static boolean isIssuerTaken(Throwable e) {
        return SqlStates.isUniqueViolationOf(e, IdentityProviderRegistration.UNIQUE_ISSUER);
    }

    private static Conflict issuerTaken() {
        return new Conflict(ProblemType.ISSUER_TAKEN, "Another tenant is registered with this issuer");
    }

    private Uni<Void> invalidateCaches() {
        return tenantCache.invalidateAll().call(issuerCache::invalidateAll).call(registeredIssuers::refresh);
    }

    public Uni<TenantEntity> find(UUID id) {
        return Panache.withSession(() -> TenantEntity.<TenantEntity>findById(id))
                .onItem().ifNull().failWith(() -> new NotFound("Tenant"));
    }

    private Uni<TenantEntity> provisionAndActivate(UUID id, String schema, String actor) {
        if (schema == null) {
            return transition(id, actor, TenantState.ACTIVE);
        }
        return vertx.executeBlocking(Uni.createFrom().item(() -> schemas.migrateRecording(schema)))
                .flatMap(ok -> {
                    if (ok) {
                        return transition(id, actor, TenantState.ACTIVE);
                    }
                    return vertx.executeBlocking(Uni.createFrom().item(() -> {
                        schemas.discard(id, schema);
                        return true;
                    })).flatMap(x -> Panache.withTransaction(() -> audit(actor, "tenant.provisioning-failed", id,
                            new JsonObject().put("schema", schema))))
                            .flatMap(x -> Uni.createFrom().failure(new Failure(ProblemType.PROVISIONING_FAILED,
                                    "The tenant's schema could not be migrated; nothing was kept, the request can be retried")));
                });
    }

    private Uni<TenantEntity> transition(UUID id, String actor, TenantState target) {
        return Panache.withTransaction(() -> TenantEntity.<TenantEntity>findById(id).flatMap(t -> {
            if (t == null) {
                return Uni.createFrom().failure(new NotFound("Tenant"));
            }
            if (t.state == target) {
                return Uni.createFrom().item(t); // idempotent: suspending a suspended tenant changes nothing
            }
            if (!allowed(t.state, target)) {
                return Uni.createFrom().failure(new Conflict(ProblemType.TENANT_STATE_CONFLICT,
                        "A " + t.state.name().toLowerCase() + " tenant cannot become " + target.name().toLowerCase()));
            }
            return lifecycle.setState(t, target, actor);
        })).call(this::invalidateCaches)
                .invoke(t -> Log.infof("Tenant %s is now %s", t.slug, t.state));
    }

    private static boolean allowed(TenantState from, TenantState to) {
        return switch (to) {
            case ACTIVE -> from == TenantState.SUSPENDED || from == TenantState.PROVISIONING;
            case SUSPENDED -> from == TenantState.ACTIVE;
            default -> false;
        };
    }

    private static Uni<Void> audit(String actor, String action, UUID tenantId, JsonObject details) {
        return PlatformAuditEntity.of(actor, action, tenantId, details.encode()).persist().replaceWithVoid();
    }
}
