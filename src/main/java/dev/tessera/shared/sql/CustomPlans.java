package dev.tessera.shared.sql;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Runs a list or search statement with a plan made for its arguments.
 *
 * <p>The lists take optional filters and a keyset cursor as {@code ($1 IS NULL OR public_id > $1)}, one
 * statement for every combination. The service caches prepared statements, and PostgreSQL gives a cached
 * statement a generic plan after five executions; in a generic plan such a condition cannot be an index
 * condition, so every later page read the table from its first row, and a search by email or by customer
 * read all of the tenant's rows. In a custom plan the absent filters fold away and the rest are found
 * through the index, for a fraction of a millisecond of planning: what every statement costs behind
 * PgBouncer, where nothing is cached.
 */
public final class CustomPlans {

    /** For the rest of the transaction only; a statement of its own so that other transactions keep the operator's setting. */
    public static final String FOR_THIS_TRANSACTION = "SELECT set_config('plan_cache_mode', 'force_custom_plan', true)";

    private CustomPlans() {
    }

    /**
     * {@code sql} with {@code args}, sent right behind the setting without waiting for it (one round trip),
     * on a connection inside a transaction, as TenantTx's are. Both are sent when the result is subscribed.
     */
    public static Uni<RowSet<Row>> execute(SqlConnection conn, String sql, Tuple args) {
        return Pipelined.joined(1, conn.preparedQuery(FOR_THIS_TRANSACTION).execute(), conn.preparedQuery(sql).execute(args));
    }
}
