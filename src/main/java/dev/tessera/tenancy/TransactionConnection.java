package dev.tessera.tenancy;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Collector;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.sqlclient.PrepareOptions;
import io.vertx.sqlclient.PreparedQuery;
import io.vertx.sqlclient.PreparedStatement;
import io.vertx.sqlclient.Query;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.SqlResult;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.spi.DatabaseMetadata;

/**
 * The connection TenantTx hands to work: the real one until the door ends the transaction, then a wall.
 *
 * <p>Once the door has queued COMMIT or ROLLBACK, every statement sent through this connection fails at
 * once with {@link StatementAfterEnd} instead of reaching PostgreSQL, where it would run in a transaction
 * of its own with no tenant context (RLS and the search path would show it nothing, silently). The check
 * is made when a statement is sent (a query's {@code execute}), not when it is built, because the Mutiny
 * API sends on subscription. Work may not demarcate transactions or close the connection either: the door
 * does both.
 */
final class TransactionConnection implements SqlConnection {

    /** A statement that work tried to send after the door ended its transaction. */
    static final class StatementAfterEnd extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        StatementAfterEnd(String end) {
            super("A statement was sent after the tenant transaction's " + end + ": it would run outside the tenant context, so "
                    + "it was not sent. Send every statement of TenantTx.inOneRoundTrip, and of loadDecideWrite's write, when "
                    + "subscribed, and chain nothing on their results; work that chains statements belongs in TenantTx.run.");
        }
    }

    private final SqlConnection conn;
    private volatile String ended;
    private volatile int sent;

    TransactionConnection(SqlConnection conn) {
        this.conn = conn;
    }

    /** Refuses every later statement; returns {@code command} (COMMIT or ROLLBACK), which the door then sends. */
    String end(String command) {
        ended = command;
        return command;
    }

    /** How many statements the work has sent so far. */
    int sent() {
        return sent;
    }

    private <T> Future<T> refusedOr(java.util.function.Supplier<Future<T>> send) {
        if (ended != null) {
            return Future.failedFuture(new StatementAfterEnd(ended));
        }
        sent++;
        return send.get();
    }

    @Override
    public Query<RowSet<Row>> query(String sql) {
        return new Guarded<>(conn.query(sql));
    }

    @Override
    public PreparedQuery<RowSet<Row>> preparedQuery(String sql) {
        return new Guarded<>(conn.preparedQuery(sql));
    }

    @Override
    public PreparedQuery<RowSet<Row>> preparedQuery(String sql, PrepareOptions options) {
        return new Guarded<>(conn.preparedQuery(sql, options));
    }

    @Override
    public Future<PreparedStatement> prepare(String sql) {
        return refusedOr(() -> conn.prepare(sql));
    }

    @Override
    public Future<PreparedStatement> prepare(String sql, PrepareOptions options) {
        return refusedOr(() -> conn.prepare(sql, options));
    }

    @Override
    public SqlConnection prepare(String sql, Handler<AsyncResult<PreparedStatement>> handler) {
        prepare(sql).onComplete(handler);
        return this;
    }

    @Override
    public SqlConnection prepare(String sql, PrepareOptions options, Handler<AsyncResult<PreparedStatement>> handler) {
        prepare(sql, options).onComplete(handler);
        return this;
    }

    @Override
    public SqlConnection exceptionHandler(Handler<Throwable> handler) {
        conn.exceptionHandler(handler);
        return this;
    }

    @Override
    public SqlConnection closeHandler(Handler<Void> handler) {
        conn.closeHandler(handler);
        return this;
    }

    @Override
    public void begin(Handler<AsyncResult<Transaction>> handler) {
        handler.handle(begin());
    }

    @Override
    public Future<Transaction> begin() {
        return Future.failedFuture(new IllegalStateException("TenantTx opens and ends the transaction; work must not"));
    }

    @Override
    public Transaction transaction() {
        return null;
    }

    @Override
    public boolean isSSL() {
        return conn.isSSL();
    }

    @Override
    public void close(Handler<AsyncResult<Void>> handler) {
        handler.handle(close());
    }

    @Override
    public Future<Void> close() {
        return Future.failedFuture(new IllegalStateException("TenantTx gives the connection back after COMMIT; work must not"));
    }

    @Override
    public DatabaseMetadata databaseMetadata() {
        return conn.databaseMetadata();
    }

    /** A query or prepared query whose sending is checked against the end of the transaction. */
    private final class Guarded<T> implements PreparedQuery<T> {
        private final Query<T> query;

        Guarded(Query<T> query) {
            this.query = query;
        }

        private PreparedQuery<T> prepared() {
            return (PreparedQuery<T>) query;
        }

        @Override
        public Future<T> execute() {
            return refusedOr(query::execute);
        }

        @Override
        public void execute(Handler<AsyncResult<T>> handler) {
            execute().onComplete(handler);
        }

        @Override
        public Future<T> execute(Tuple args) {
            return refusedOr(() -> prepared().execute(args));
        }

        @Override
        public void execute(Tuple args, Handler<AsyncResult<T>> handler) {
            execute(args).onComplete(handler);
        }

        @Override
        public Future<T> executeBatch(List<Tuple> batch) {
            return refusedOr(() -> prepared().executeBatch(batch));
        }

        @Override
        public void executeBatch(List<Tuple> batch, Handler<AsyncResult<T>> handler) {
            executeBatch(batch).onComplete(handler);
        }

        @Override
        public <R> PreparedQuery<SqlResult<R>> collecting(Collector<Row, ?, R> collector) {
            return new Guarded<>(query instanceof PreparedQuery<T> p ? p.collecting(collector) : query.collecting(collector));
        }

        @Override
        public <U> PreparedQuery<RowSet<U>> mapping(Function<Row, U> mapper) {
            return new Guarded<>(query instanceof PreparedQuery<T> p ? p.mapping(mapper) : query.mapping(mapper));
        }
    }
}
