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
                   encode(coalesce(hash, row_hash), 'hex') AS hash
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
                   encode(coalesce(hash, row_hash), 'hex') AS hash
              FROM audit_log
             ORDER BY id
            """;

    /*
     * The whole trail in one statement (one snapshot): the rows of the old trigger's chain (row_hash
     * NULL) linked row by row as before; each sealed batch recomputed from its rows in (txid, id)
     * order and linked to the batch before it (batch 1 to the last row of the old chain); the rows
     * after the last batch reported as the unsealed tail. The first break is named: the row where one
     * can be named (content changed, old-chain link broken), otherwise the batch and what happened to it.
     */
    static final String VERIFY = """
            WITH legacy AS (
                SELECT id,
                       hash = tessera.audit_hash(prev_hash, table_name, record_id, action, old_data, new_data,
                                                 actor, txid, at)                      AS hash_ok,
                       prev_hash IS NOT DISTINCT FROM lag(hash) OVER (ORDER BY id)      AS link_ok
                  FROM audit_log
                 WHERE row_hash IS NULL
            ), legacy_broken AS (
                SELECT id, NULL::bigint AS batch_no,
                       CASE WHEN NOT hash_ok THEN 'content does not match its hash'
                            ELSE 'does not link to the previous row (a row was removed or reordered)' END AS reason
                  FROM legacy
                 WHERE NOT (hash_ok AND link_ok)
                 ORDER BY id
                 LIMIT 1
            ), legacy_head AS (
                SELECT id, hash FROM audit_log WHERE row_hash IS NULL ORDER BY id DESC LIMIT 1
            ), seals AS (
                SELECT s.*,
                       lag(s.batch_no) OVER w AS prev_no,
                       lag(s.hash)     OVER w AS prev_seal_hash,
                       lag(s.to_txid)  OVER w AS prev_to_txid,
                       lag(s.to_id)    OVER w AS prev_to_id
                  FROM audit_seal s
                WINDOW w AS (ORDER BY s.batch_no)
            ), batches AS (
                SELECT s.*, b.n, b.ordered, b.sorted, b.bad_row
                  FROM seals s
                 CROSS JOIN LATERAL (
                       SELECT count(*) AS n,
                              sha256(coalesce(s.prev_hash, ''::bytea)
                                     || coalesce(string_agg(a.row_hash, ''::bytea ORDER BY a.txid, a.id), ''::bytea)) AS ordered,
                              sha256(coalesce(string_agg(a.row_hash, ''::bytea ORDER BY a.row_hash), ''::bytea))      AS sorted,
                              min(a.id) FILTER (WHERE a.row_hash IS DISTINCT FROM
                                  tessera.audit_hash(NULL, a.table_name, a.record_id, a.action, a.old_data, a.new_data,
                                                     a.actor, a.txid, a.at))                                          AS bad_row
                         FROM audit_log a
                        WHERE a.row_hash IS NOT NULL
                          AND (a.txid, a.id) >  (s.from_txid, s.from_id)
                          AND (a.txid, a.id) <= (s.to_txid, s.to_id)) b
            ), batch_broken AS (
                SELECT bad_row AS id, batch_no,
                       CASE WHEN bad_row IS NOT NULL THEN 'content does not match its hash'
                            WHEN batch_no <> coalesce(prev_no, 0) + 1 THEN 'a seal is missing before this batch'
                            WHEN (from_txid, from_id) <> (coalesce(prev_to_txid, 0), coalesce(prev_to_id, 0))
                                 THEN 'the batch does not start where the previous one ended'
                            WHEN batch_no = 1 AND (legacy_through_id IS DISTINCT FROM (SELECT id FROM legacy_head)
                                                   OR prev_hash IS DISTINCT FROM (SELECT hash FROM legacy_head))
                                 THEN 'the chain does not link to the last row recorded before sealing'
                            WHEN batch_no > 1 AND prev_hash IS DISTINCT FROM prev_seal_hash
                                 THEN 'the batch does not link to the previous batch'
                            WHEN n < row_count THEN 'a sealed row was removed'
                            WHEN n > row_count THEN 'a row was inserted among sealed rows'
                            WHEN ordered <> hash AND sorted = set_hash THEN 'sealed rows were reordered'
                            WHEN ordered <> hash THEN 'a sealed row was replaced (its content and hash rewritten)'
                       END AS reason
                  FROM batches
            ), broken AS (
                SELECT * FROM legacy_broken
                UNION ALL
                (SELECT * FROM batch_broken WHERE reason IS NOT NULL ORDER BY batch_no LIMIT 1)
                LIMIT 1
            ), last_seal AS (
                SELECT to_txid, to_id FROM audit_seal ORDER BY batch_no DESC LIMIT 1
            ), tail AS (
                SELECT count(*) AS unsealed, min(a.at) AS oldest
                  FROM audit_log a
                 WHERE a.row_hash IS NOT NULL
                   AND (a.txid, a.id) > (coalesce((SELECT to_txid FROM last_seal), 0), coalesce((SELECT to_id FROM last_seal), 0))
            )
            SELECT (SELECT count(*) FROM legacy)                    AS legacy_rows,
                   (SELECT coalesce(sum(n), 0) FROM batches)::bigint AS sealed,
                   (SELECT count(*) FROM batches)                   AS batches,
                   (SELECT id FROM broken)                          AS broken_id,
                   (SELECT batch_no FROM broken)                    AS broken_batch,
                   (SELECT reason FROM broken)                      AS reason,
                   tail.unsealed,
                   (extract(epoch FROM clock_timestamp() - tail.oldest) * 1000)::bigint AS oldest_unsealed_age_ms
              FROM tail
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
            String reason = r.getString("reason");
            long sealed = r.getLong("sealed");
            return new ChainVerification(r.getLong("legacy_rows") + sealed, reason == null, r.getLong("broken_id"),
                    r.getLong("broken_batch"), reason, sealed, r.getLong("batches"), r.getLong("unsealed"),
                    r.getLong("oldest_unsealed_age_ms"));
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
