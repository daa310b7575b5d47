package dev.tessera.audit.persistence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.audit.AuditEntry;
import dev.tessera.audit.AuditQuery;
import dev.tessera.audit.ChainVerification;
import dev.tessera.shared.sql.Cursors;
import dev.tessera.shared.sql.CustomPlans;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** SQL of audit_log: reads only (rows are written by the trigger), on a TenantTx connection. */
@ApplicationScoped
public class AuditRepository {

    static final String LIST = """
            SELECT id, table_name, record_id, action, old_data, new_data, changed_columns, actor, txid, at,
                   encode(hash, 'hex') AS hash
              FROM audit_log
             WHERE ($1::bigint      IS NULL OR id > $1)
               AND ($2::text        IS NULL OR table_name = $2)
               AND ($3::uuid        IS NULL OR record_id = $3)
               AND ($4::text        IS NULL OR actor = $4)
               AND ($5::timestamptz IS NULL OR at >= $5)
               AND ($6::timestamptz IS NULL OR at <  $6)
             ORDER BY id
             LIMIT $7
            """;

    static final String EXPORT = """
            SELECT id, table_name, record_id, action, old_data, new_data, changed_columns, actor, txid, at,
                   encode(hash, 'hex') AS hash
              FROM audit_log
             ORDER BY id
            """;

    // Each row must hash to its stored hash and link to the hash of the row before it.
    static final String VERIFY = """
            WITH chain AS (
                SELECT id,
                       hash = tessera.audit_hash(prev_hash, table_name, record_id, action, old_data, new_data,
                                                 actor, txid, at)                      AS hash_ok,
                       prev_hash IS NOT DISTINCT FROM lag(hash) OVER (ORDER BY id)      AS link_ok
                  FROM audit_log
            )
            SELECT (SELECT count(*) FROM chain)                                         AS checked,
                   (SELECT id FROM chain WHERE NOT (hash_ok AND link_ok) ORDER BY id LIMIT 1) AS broken_id,
                   (SELECT CASE WHEN NOT hash_ok THEN 'content does not match its hash'
                                ELSE 'does not link to the previous row (a row was removed or reordered)' END
                      FROM chain WHERE NOT (hash_ok AND link_ok) ORDER BY id LIMIT 1)   AS reason
            """;

    /** Up to limit + 1 rows, so that the caller can tell whether a next page exists. */
    public Uni<List<AuditEntry>> list(SqlConnection conn, AuditQuery q) {
        Tuple args = Tuple.tuple().addValue(q.afterId()).addValue(q.table()).addValue(q.recordId()).addValue(q.actor())
                .addValue(q.from()).addValue(q.to()).addValue(q.limit() + 1);
        return CustomPlans.execute(conn, LIST, args).map(rows -> {
            List<AuditEntry> out = new ArrayList<>();
            rows.forEach(r -> out.add(toEntry(r)));
            return out;
        });
    }

    /** The tenant's whole trail, oldest first, through a cursor (constant memory). */
    public Multi<AuditEntry> streamAll(SqlConnection conn, int fetchSize) {
        return Cursors.stream(conn, EXPORT, Tuple.tuple(), fetchSize).map(AuditRepository::toEntry);
    }

    public Uni<ChainVerification> verify(SqlConnection conn) {
        return conn.query(VERIFY).execute().map(rows -> {
            Row r = rows.iterator().next();
            Long broken = r.getLong("broken_id");
            return new ChainVerification(r.getLong("checked"), broken == null, broken, r.getString("reason"));
        });
    }

    private static java.util.Map<String, Object> map(Object json) {
        return json instanceof JsonObject o ? o.getMap() : null;
    }

    private static AuditEntry toEntry(Row r) {
        String[] changed = r.getArrayOfStrings("changed_columns");
        return new AuditEntry(r.getLong("id"), r.getString("table_name"), r.getUUID("record_id"), r.getString("action"),
                map(r.getValue("old_data")), map(r.getValue("new_data")),
                changed == null ? null : Arrays.asList(changed), r.getString("actor"), r.getLong("txid"),
                r.getOffsetDateTime("at"), r.getString("hash"));
    }
}
