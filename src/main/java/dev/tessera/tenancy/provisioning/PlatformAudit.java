package dev.tessera.tenancy.provisioning;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** Appends admin actions to tessera.platform_audit, for admin features outside provisioning. */
@ApplicationScoped
public class PlatformAudit {

    static final String INSERT = """
            INSERT INTO tessera.platform_audit (actor, action, tenant_id, details)
            VALUES ($1, $2, $3, $4)
            """;

    /** Records an action in a transaction of its own. */
    public Uni<Void> record(String actor, String action, UUID tenantId, JsonObject details) {
        return Panache.withTransaction(() -> PlatformAuditEntity.of(actor, action, tenantId, details.encode()).persist())
                .replaceWithVoid();
    }

    /** Records an action inside the caller's transaction, so that it commits or rolls back with the change. */
    public Uni<Void> record(SqlConnection conn, String actor, String action, UUID tenantId, JsonObject details) {
        return conn.preparedQuery(INSERT).execute(Tuple.of(actor, action, tenantId, details)).replaceWithVoid();
    }
}
