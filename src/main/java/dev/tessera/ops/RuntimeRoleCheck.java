package dev.tessera.ops;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

/**
 * Refuses a runtime login that could step around row level security.
 *
 * <p>RLS does not apply to superusers or BYPASSRLS roles, and a table owner (or a member of the owner
 * role) can disable it. The service must therefore log in as a role that is none of these.
 *
 * <p>Membership is tested with {@code MEMBER}, not {@code USAGE}: tessera_app is NOINHERIT, so USAGE
 * overlooks a role it belongs to, yet {@code SET ROLE} to that role still works, and an owner (or a
 * superuser) reached that way steps around FORCE ROW LEVEL SECURITY.
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
                       AND pg_has_role(r.oid, c.relowner, 'MEMBER'))    AS owned_relations,
                   (SELECT count(*)
                      FROM pg_namespace n
                     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'public')
                       AND n.nspname NOT LIKE 'pg_%'
                       AND pg_has_role(r.oid, n.nspowner, 'MEMBER'))    AS owned_schemas,
                   EXISTS (SELECT
                             FROM pg_roles p
                            WHERE p.oid <> r.oid
                              AND (p.rolsuper OR p.rolbypassrls)
                              AND pg_has_role(r.oid, p.oid, 'MEMBER'))   AS privileged_member
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
        if (row.getBoolean("privileged_member")) {
            throw refuse(role, "is a member of a superuser or BYPASSRLS role, which SET ROLE reaches even under NOINHERIT");
        }
        if (row.getLong("owned_relations") > 0 || row.getLong("owned_schemas") > 0) {
            throw refuse(role, "owns tables or schemas, or is a member of a role that does, and an owner can disable row level security");
        }
    }

    private static IllegalStateException refuse(String role, String reason) {
        return new IllegalStateException("Refusing to start: the database role '" + role + "' " + reason
                + ". Connect as tessera_app (LOGIN NOSUPERUSER NOBYPASSRLS, DML grants only); see README, Database roles.");
    }
}
