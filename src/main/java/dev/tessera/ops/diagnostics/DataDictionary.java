package dev.tessera.ops.diagnostics;

import java.util.List;

/**
 * What {@code GET /admin/db/dictionary} reports: the tables and columns of schema tessera with their comments.
 *
 * <p>Schema tessera holds the platform tables and, created by the same {@code db/tenant} scripts that
 * build every {@code tenant_*} schema, the tenant tables: it is the template of every tenant schema.
 */
public record DataDictionary(String schema, String note, List<Table> tables) {

    /** One table with its comment and columns in their order. */
    public record Table(String name, String comment, List<Column> columns) {
    }

    /** One column: SQL type as PostgreSQL prints it, nullability and comment. */
    public record Column(String name, String type, boolean nullable, String comment) {
    }
}
