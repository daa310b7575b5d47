package dev.tessera.ops;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

/**
 * Refuses a runtime login that could step around row level security.
 *
 * <p>RLS does not apply to superusers or BYPASSRLS roles, and a table owner (or a member of the owner
 * role) can disable it. The service must therefore log in as a role that is none of these.
 */
public final class RuntimeRoleCheck {

    static final String QUERY = """
            SELECT r.rolname                                             AS role,
                   r.rolsuper                                            AS superuser,
                   r.rolbypassrls                                        AS bypassrls,
                   (SELECT count(*)
                      FROM pg_class c
                      JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
                       AND n.nspname NOT LIKE 'pg_toast%'
                       AND pg_has_role(r.oid, c.relowner, 'USAGE'))     AS owned_relations,
                   (SELECT count(*)
                      FROM pg_namespace n
                     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'public')
                       AND n.nspname NOT LIKE 'pg_%'
                       AND pg_has_role(r.oid, n.nspowner, 'USAGE'))     AS owned_schemas
              FROM pg_roles r
             WHERE r.rolname = current_user
            """;

    /** Completes when the connected role is safe; fails with a message that says what to fix. */
    public Uni<Void> verify(Pool pool) {
        return pool.query(QUERY).execute()
                .map(rows -> rows.iterator().next())
                .invoke(RuntimeRoleCheck::check)
                .replaceWithVoid();
    }

    static void check(Row row) {
        String role = row.getString("role");
        if (row.getBoolean("superuser")) {
            throw refuse(role, "is a superuser, and row level security does not apply to superusers");
        }
        if (row.getBoolean("bypassrls")) {
            throw refuse(role, "has BYPASSRLS");
        }
        if (row.getLong("owned_relations") > 0 || row.getLong("owned_schemas") > 0) {
            throw refuse(role, "owns (or inherits ownership of) tables or schemas, and an owner can disable row level security");
        }
    }

    private static IllegalStateException refuse(String role, String reason) {
        return new IllegalStateException("Refusing to start: the database role '" + role + "' " + reason
                + ". Connect as tessera_app (LOGIN NOSUPERUSER NOBYPASSRLS, DML grants only); see README, Database roles.");
    }
}
