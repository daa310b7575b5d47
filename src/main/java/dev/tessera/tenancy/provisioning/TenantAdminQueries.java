package dev.tessera.tenancy.provisioning;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.shared.paging.Page;
import dev.tessera.shared.paging.PageRequest;
import dev.tessera.tenancy.IsolationMode;
import dev.tessera.tenancy.TenantEntity;
import dev.tessera.tenancy.TenantState;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * What platform administrators read about tenants: the tenant directory (Panache, no tenant context)
 * and, for one tenant, its keys and the migration state of its dedicated schema.
 */
@ApplicationScoped
public class TenantAdminQueries {

    private final TenantProvisioning provisioning;
    private final TenantKeyStatus keyStatus;
    private final TenantSchemas schemas;
    private final SchemaRegistry registry;
    private final Vertx vertx;

    TenantAdminQueries(TenantProvisioning provisioning, TenantKeyStatus keyStatus, TenantSchemas schemas,
            SchemaRegistry registry, Vertx vertx) {
        this.provisioning = provisioning;
        this.keyStatus = keyStatus;
        this.schemas = schemas;
        this.registry = registry;
        this.vertx = vertx;
    }

    /** A page of tenants in id order, optionally only those in {@code state}. */
    public Uni<Page<TenantEntity>> list(PageRequest page, TenantState state) {
        // Conditions are added only when present: a null bind parameter has no type for PostgreSQL.
        String hql = "from TenantEntity where 1 = 1" + (page.after() == null ? "" : " and id > :after")
                + (state == null ? "" : " and state = :state") + " order by id";
        Map<String, Object> params = new HashMap<>();
        if (page.after() != null) {
            params.put("after", page.after());
        }
        if (state != null) {
            params.put("state", state);
        }
        // range is inclusive: limit + 1 rows tell whether there is a next page.
        return Panache.withSession(() -> TenantEntity.<TenantEntity>find(hql, params).range(0, page.limit()).list())
                .map(rows -> page.page(rows, t -> t.id));
    }

    /** One tenant with its key versions and, for a SCHEMA tenant, the migration state of its schema; 404 if unknown. */
    public Uni<TenantAdminView> describe(UUID id) {
        return provisioning.find(id).flatMap(t -> keyStatus.of(t.toTenant())
                .flatMap(keys -> t.isolation != IsolationMode.SCHEMA
                        ? Uni.createFrom().item(TenantAdminView.of(t, null, keys))
                        // Flyway reads the schema's history over JDBC: off the event loop.
                        : vertx.executeBlocking(Uni.createFrom().item(() -> schemaOf(t)))
                                .map(s -> TenantAdminView.of(t, s, keys))));
    }

    private TenantAdminView.Schema schemaOf(TenantEntity t) {
        String status = registry.statusOf(t.schemaName).map(s -> s.state().name()).orElse("CURRENT");
        try {
            return new TenantAdminView.Schema(t.schemaName, schemas.versionOf(t.schemaName), schemas.latestVersion(),
                    status);
        } catch (RuntimeException e) {
            return new TenantAdminView.Schema(t.schemaName, null, null, "UNREADABLE");
        }
    }
}
