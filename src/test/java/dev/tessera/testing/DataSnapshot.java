package dev.tessera.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Row counts and the newest row version of the data tables, per table and per tenant, read as the
 * superuser, so a test can prove that a refused request changed nothing (not even in another tenant or
 * the platform tables).
 *
 * <p>A write committed between two snapshots shows in one of the two: a transaction gets its id when it
 * first writes, so an insert or an update by a transaction that wrote nothing before the first snapshot
 * (a request sent after it) leaves a row version whose {@code xmin} is greater than every one that was
 * there; a delete lowers the count. This is stricter than a checksum of the rows' text (an update to the same values shows
 * too) and costs a scan instead of sorting and hashing every row: the tables hold the rows of every test
 * that ran before in the same database, and the bad-input catalogue takes two snapshots per case.
 *
 * <p>Covers every table of schema {@code tessera} (shared tenant rows grouped by {@code tenant_id}) and
 * of the dedicated schemas named, except Flyway's histories and the cursors that background work moves
 * after commit whatever a request did (the audit sealer's {@code audit_seal*}, the event relays'
 * {@code *_publication_state}): the rows they follow are covered.
 */
public final class DataSnapshot {

    private final Connection connection;
    private final List<String> schemas;
    private final List<String> tables = new ArrayList<>();
    private String query;

    /** Uses {@code connection} (a superuser's) for every snapshot; {@code tenantSchemas} are dedicated schemas to include. */
    public DataSnapshot(Connection connection, List<String> tenantSchemas) throws SQLException {
        this.connection = connection;
        this.schemas = new ArrayList<>(tenantSchemas);
        this.schemas.add("tessera");
        for (String schema : schemas) {
            for (String table : Db.column(connection, """
                    SELECT c.relname || CASE WHEN EXISTS (SELECT 1 FROM pg_attribute a
                                                          WHERE a.attrelid = c.oid AND a.attname = 'tenant_id'
                                                            AND NOT a.attisdropped) THEN ':t' ELSE ':-' END
                    FROM   pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE  n.nspname = ? AND c.relkind IN ('r', 'p') AND c.relname NOT LIKE 'flyway%'
                      AND c.relname NOT IN ('audit_seal', 'audit_seal_state', 'es_publication_state', 'platform_publication_state')
                    ORDER  BY c.relname
                    """, schema)) {
                tables.add(schema + "." + table);
            }
        }
    }

    /** {@code schema.table[tenant]} → {@code rows:newest xmin}, for every table and tenant with rows. */
    public Map<String, String> take() throws SQLException {
        if (query == null) {
            query = tables.stream().map(DataSnapshot::select).collect(Collectors.joining("\nUNION ALL\n"));
        }
        Map<String, String> out = new TreeMap<>();
        // One statement for all tables: a snapshot per case must stay cheap.
        for (String row : Db.column(connection, query)) {
            int eq = row.indexOf('=');
            out.put(row.substring(0, eq), row.substring(eq + 1));
        }
        return out;
    }

    private static String select(String entry) {
        String table = entry.substring(0, entry.lastIndexOf(':'));
        String key = "'" + table + "[' || " + (entry.endsWith(":t") ? "tenant_id::text" : "'-'") + " || ']='";
        return "(SELECT " + key + " || count(*) || ':' || coalesce(max(t.xmin::text::bigint), 0)"
                + " FROM " + quote(table) + " t" + (entry.endsWith(":t") ? " GROUP BY tenant_id)" : ")");
    }

    private static String quote(String qualified) {
        int dot = qualified.indexOf('.');
        // Names come from pg_class, not from a request; quoting keeps them exact.
        return "\"" + qualified.substring(0, dot) + "\".\"" + qualified.substring(dot + 1) + "\"";
    }
}
