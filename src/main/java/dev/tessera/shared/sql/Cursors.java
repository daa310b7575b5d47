package dev.tessera.shared.sql;

import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** Reads a query's rows through a server-side cursor, so that a result of any size streams in constant memory. */
public final class Cursors {

    private Cursors() {
    }

    /**
     * Rows of {@code sql}, fetched {@code fetchSize} at a time as the subscriber asks for them: at most one
     * fetch is held in memory, whatever the size of the result. The connection must be inside a
     * transaction (a cursor lives only as long as its transaction), as TenantTx's connections are.
     */
    public static Multi<Row> stream(SqlConnection conn, String sql, Tuple args, int fetchSize) {
        return conn.prepare(sql).onItem().transformToMulti(statement -> statement.createStream(fetchSize, args).toMulti()
                .onTermination().call(statement::close));
    }
}
