package dev.tessera.access.persistence;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.StreamSupport;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.access.SupportGrant;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The SQL of {@code tessera.support_grants} (platform V014). The support side goes through owner
 * functions (it has no tenant); the tenant's admins decide in their tenant transaction, under RLS, each
 * decision one statement with its platform_audit record.
 */
@ApplicationScoped
public class SupportGrantRepository {

    static final String COLUMNS = """
            id, tenant_id, support_user, reason, access, pii, extract(epoch FROM duration)::bigint AS duration_s,
            requested_at, starts_at, ends_at, decided_by, denied_at, revoked_at, revoked_by""";

    static final String REQUEST = "SELECT %s FROM tessera.support_grant_request($1, $2, $3, $4, $5, $6, $7::bigint * interval '1 second')"
            .formatted(COLUMNS);

    static final String OF_USER = "SELECT %s FROM tessera.support_grant_of($1, $2)".formatted(COLUMNS);

    static final String LIST = """
            SELECT %s FROM tessera.support_grants
             WHERE tenant_id = $1 AND ($2::uuid IS NULL OR id > $2)
             ORDER BY id
             LIMIT $3
            """.formatted(COLUMNS);

    static final String FIND = "SELECT %s FROM tessera.support_grants WHERE tenant_id = $1 AND id = $2".formatted(COLUMNS);

    /** A decision: %1$s the SET clause, %2$s the condition on the grant before it, %3$s the platform_audit action. */
    private static final String DECIDE = """
            WITH target AS (
                SELECT g.* FROM tessera.support_grants g WHERE g.tenant_id = $1 AND g.id = $2 FOR UPDATE),
            done AS (
                UPDATE tessera.support_grants g SET %1$s
                  FROM target t
                 WHERE g.id = t.id AND %2$s
                RETURNING g.*),
            audit AS (
                INSERT INTO tessera.platform_audit (actor, action, tenant_id, details)
                SELECT $3, '%3$s', d.tenant_id, jsonb_build_object('grant', d.id) FROM done d)
            SELECT true AS changed, %4$s FROM done
            UNION ALL
            SELECT false, %4$s FROM target WHERE NOT EXISTS (SELECT 1 FROM done)
            """;

    static final String PENDING = "t.starts_at IS NULL AND t.denied_at IS NULL AND t.revoked_at IS NULL";

    static final String APPROVE = DECIDE.formatted("starts_at = now(), ends_at = now() + g.duration, decided_by = $3", PENDING,
            "support.approve", COLUMNS);
    static final String DENY = DECIDE.formatted("denied_at = now(), decided_by = $3", PENDING, "support.deny", COLUMNS);
    static final String REVOKE = DECIDE.formatted("revoked_at = now(), revoked_by = $3",
            "t.revoked_at IS NULL AND t.denied_at IS NULL AND (t.starts_at IS NULL OR t.ends_at > now())", "support.revoke", COLUMNS);

    static final String POLICY = "SELECT support_approval_required FROM tessera.tenants WHERE id = $1";
    static final String SET_POLICY = "SELECT tessera.tenant_set_support_approval($1, $2, $3) AS required";

    /** What a decision did: whether it changed the grant, and the grant after it; empty if the tenant has no such grant. */
    public record Decision(boolean changed, SupportGrant grant) {
    }

    public enum Decide {
        APPROVE(SupportGrantRepository.APPROVE), DENY(SupportGrantRepository.DENY), REVOKE(SupportGrantRepository.REVOKE);

        final String sql;

        Decide(String sql) {
            this.sql = sql;
        }
    }

    public Uni<SupportGrant> request(Pool pool, UUID id, UUID tenantId, String user, String reason, String access, boolean pii,
            Duration duration) {
        return pool.preparedQuery(REQUEST).execute(Tuple.tuple(java.util.Arrays.asList(id, tenantId, user, reason, access, pii,
                duration.toSeconds()))).map(rows -> toGrant(rows.iterator().next()));
    }

    public Uni<Optional<SupportGrant>> ofUser(Pool pool, UUID id, String user) {
        return pool.preparedQuery(OF_USER).execute(Tuple.of(id, user)).map(SupportGrantRepository::first);
    }

    public Uni<List<SupportGrant>> list(SqlConnection conn, UUID tenantId, UUID after, int limit) {
        return conn.preparedQuery(LIST).execute(Tuple.of(tenantId, after, limit))
                .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(SupportGrantRepository::toGrant).toList());
    }

    public Uni<Optional<SupportGrant>> find(SqlConnection conn, UUID tenantId, UUID id) {
        return conn.preparedQuery(FIND).execute(Tuple.of(tenantId, id)).map(SupportGrantRepository::first);
    }

    public Uni<Optional<Decision>> decide(SqlConnection conn, Decide decision, UUID tenantId, UUID id, String actor) {
        return conn.preparedQuery(decision.sql).execute(Tuple.of(tenantId, id, actor)).map(rows -> {
            var it = rows.iterator();
            if (!it.hasNext()) {
                return Optional.empty();
            }
            Row r = it.next();
            return Optional.of(new Decision(r.getBoolean("changed"), toGrant(r)));
        });
    }

    public Uni<Boolean> approvalRequired(SqlConnection conn, UUID tenantId) {
        return conn.preparedQuery(POLICY).execute(Tuple.of(tenantId)).map(rows -> rows.iterator().next().getBoolean(0));
    }

    public Uni<Boolean> setApprovalRequired(SqlConnection conn, UUID tenantId, boolean required, String actor) {
        return conn.preparedQuery(SET_POLICY).execute(Tuple.of(tenantId, required, actor))
                .map(rows -> rows.iterator().next().getBoolean("required"));
    }

    private static Optional<SupportGrant> first(RowSet<Row> rows) {
        var it = rows.iterator();
        return it.hasNext() ? Optional.of(toGrant(it.next())) : Optional.empty();
    }

    static SupportGrant toGrant(Row r) {
        return new SupportGrant(r.getUUID("id"), r.getUUID("tenant_id"), r.getString("support_user"), r.getString("reason"),
                r.getString("access"), r.getBoolean("pii"), Duration.ofSeconds(r.getLong("duration_s")),
                r.getOffsetDateTime("requested_at"), r.getOffsetDateTime("starts_at"), r.getOffsetDateTime("ends_at"),
                r.getString("decided_by"), r.getOffsetDateTime("denied_at"), r.getOffsetDateTime("revoked_at"),
                r.getString("revoked_by"));
    }
}
