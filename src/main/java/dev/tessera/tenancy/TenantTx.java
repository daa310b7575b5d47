package dev.tessera.tenancy;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import dev.tessera.shared.error.ProblemType;
import dev.tessera.shared.error.ServiceUnavailable;
import dev.tessera.shared.sql.Pipelined;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.smallrye.mutiny.vertx.TypeArg;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The one door into tenant data. Each entry point is named for the shape of work it takes, and that shape
 * is how it keeps the rules:
 * <ul>
 * <li>{@link #read}: one read as one statement, a {@link TenantRead} (a function that sets the tenant
 * context for its own implicit transaction). The caller never holds the connection, so nothing can be
 * sent after it.</li>
 * <li>{@link #inOneRoundTrip}: BEGIN, the context, work that sends every statement when subscribed, and
 * COMMIT, queued together.</li>
 * <li>{@link #loadDecideWrite}: a command in two round trips (reads with BEGIN and the context; the
 * decided writes with COMMIT); {@link #run}: work that chains statements on results.</li>
 * <li>{@link #stream}: a read-only snapshot streamed through a cursor.</li>
 * </ul>
 *
 * <p>What every transaction guarantees, and why:
 * <ul>
 * <li>The context is set with {@code set_config(..., true)} (or {@code SET LOCAL} by {@code tessera.enter_tenant},
 * {@link TenancyConfig#context()}), so it dies with the transaction: nothing survives into the next borrower
 * of the connection, also behind PgBouncer in transaction mode. {@code SET LOCAL} is what Citus forwards to
 * its workers, where RLS checks the shards' rows.</li>
 * <li>{@code BEGIN}, the context statement and the first statement of the work are sent together
 * (the reactive client pipelines commands issued without waiting), so the tenant context costs no
 * extra round trip. {@code BEGIN} is sent as a plain query because the client's transaction API keeps
 * only one command in flight.</li>
 * <li>The pool does not reset a returned connection. So the connection goes back only after
 * {@code COMMIT} or {@code ROLLBACK} has completed, and the transaction runs to that end even if the
 * caller cancels (a client that disconnects): cancellation only drops the result.</li>
 * <li>The work gets a connection that refuses any statement once the door has queued COMMIT or ROLLBACK
 * ({@link TransactionConnection}): such a statement would run outside the tenant context, where RLS and
 * the search path show it nothing, so it fails loudly instead. Work may not open, end or close either.</li>
 * <li>A statement that runs longer than {@code tessera.tenancy.statement-timeout} is cancelled by the
 * server, and the transaction is rolled back.</li>
 * <li>Every entry point first takes one of the tenant's share of the connections
 * ({@link TenantConnectionShare}): one tenant cannot hold the connections the others need.</li>
 * </ul>
 */
@ApplicationScoped
public class TenantTx {

    /** The context as literal SET LOCAL statements, quoted by the function (R__tenant_reads.sql). */
    static final String SET_LOCAL_CONTEXT = "SELECT tessera.enter_tenant($1, $2, $3, $4)";

    static final String SET_CONFIG_CONTEXT = """
            SELECT set_config('app.tenant_id',     $1, true),
                   set_config('app.user_id',       $2, true),
                   set_config('search_path',       quote_ident($3) || ', public', true),
                   set_config('statement_timeout', $4, true)
            """;

    /** The grant check and record of a support user's transaction (tenant V017), found on the tenant's search path. */
    static final String SUPPORT_ACCESS = "SELECT support_access($1, $2)";

    /** How the Mutiny view of a row set wraps each row (as the Mutiny client's own query does). */
    private static final TypeArg<Row> ROWS = new TypeArg<>(o -> Row.newInstance((io.vertx.sqlclient.Row) o), Row::getDelegate);

    private final Pool pool;
    private final TenancyConfig config;
    private final List<TenantWriteListener> listeners;
    private final TenantConnectionShare share;
    private final String setContext;

    TenantTx(Pool pool, TenancyConfig config, Instance<TenantWriteListener> listeners, TenantConnectionShare share) {
        this.pool = pool;
        this.config = config;
        this.listeners = listeners.stream().toList();
        this.share = share;
        this.setContext = config.context() == TenancyConfig.ContextStatement.SET_LOCAL ? SET_LOCAL_CONTEXT : SET_CONFIG_CONTEXT;
    }

    /**
     * Runs {@code read} with {@code args} as one statement outside any transaction block: PostgreSQL runs
     * it in an implicit transaction of its own, in which the read function sets the tenant context before
     * its query, so the context dies with the statement (it never reaches the connection's next borrower,
     * also behind PgBouncer in transaction mode, where one statement's messages stay on one server
     * connection). One statement instead of BEGIN, the context, the query and COMMIT.
     *
     * <p>Nothing here can send a second statement: the caller gets the mapped rows, never the connection.
     * The statement runs with the database's (or the role's) {@code statement_timeout}, not
     * {@code tessera.tenancy.statement-timeout}: a setting made inside a statement does not time that statement.
     */
    public <T> Uni<T> read(TenantContext tenant, TenantRead<T> read, Object... args) {
        Tuple arguments = read.arguments(tenant, args);
        if (tenant.underSupportGrant()) {
            // A support user's read is checked and recorded by support_access() in a transaction of its own.
            return inOneRoundTrip(tenant, conn -> conn.preparedQuery(read.sql()).execute(arguments).map(read::map));
        }
        if (config.readTransactionBlock()) {
            return onConnection(tenant, conn -> inBlock(conn, read, arguments).onTermination().call(conn::close));
        }
        // The pool's own one-shot query (it borrows and returns the connection itself), on Vert.x's future
        // API: no connection object, no Mutiny stage per step, on the hottest path there is.
        return Uni.createFrom().emitter(emitter -> share.admit(tenant, permit -> pool.getDelegate()
                .preparedQuery(read.sql()).execute(arguments.getDelegate()).onComplete(done -> {
                    permit.release();
                    if (done.failed()) {
                        emitter.fail(done.cause());
                        return;
                    }
                    T mapped;
                    try {
                        mapped = read.map(RowSet.newInstance(done.result(), ROWS));
                    } catch (RuntimeException e) {
                        emitter.fail(e);
                        return;
                    }
                    emitter.complete(mapped);
                }), emitter::fail));
    }

    /**
     * The read between BEGIN and COMMIT, queued together ({@code tessera.tenancy.read-transaction-block}, for
     * Citus): Citus forwards the function's SET LOCAL to the worker only inside a transaction block. Tells
     * no listener: a read commits nothing.
     */
    private static <T> Uni<T> inBlock(SqlConnection conn, TenantRead<T> read, Tuple arguments) {
        TransactionConnection guard = new TransactionConnection(conn.getDelegate());
        Uni<RowSet<Row>> begin = conn.query("BEGIN").execute();
        Uni<T> body = Uni.createFrom().deferred(() -> SqlConnection.newInstance(guard).preparedQuery(read.sql())
                .execute(arguments).map(read::map));
        return endedAfter(conn, guard, Pipelined.joined(1, begin, body));
    }

    /**
     * Runs {@code statements} in a transaction of the given tenant whose {@code COMMIT} travels with them:
     * BEGIN, the context, the statements and COMMIT are queued together, in that order, on one connection,
     * one round trip. For work that sends every statement when subscribed (one write, or several that need
     * no result of another).
     *
     * <p>If a statement fails, PostgreSQL has aborted the transaction and answers the queued COMMIT with a
     * rollback, so a failure never commits anything; work that fails before sending anything is rolled
     * back. A statement chained on a result would come after COMMIT, outside the tenant context: the
     * connection refuses it ({@link TransactionConnection.StatementAfterEnd}) and the work fails. Work that
     * reads a result and then sends another statement belongs in {@link #run}.
     */
    public <T> Uni<T> inOneRoundTrip(TenantContext tenant, Function<SqlConnection, Uni<T>> statements) {
        return onConnection(tenant, conn -> {
            TransactionConnection guard = new TransactionConnection(conn.getDelegate());
            return endedAfter(conn, guard, opened(conn, tenant, SqlConnection.newInstance(guard), statements))
                    .onTermination().call(conn::close);
        }).invoke(x -> committed(tenant));
    }

    /**
     * Runs {@code work}, which may chain statements on results, inside a transaction of the given tenant and
     * returns its result after COMMIT. Every statement must be chained into the returned {@code Uni}: one sent
     * after it completes is refused ({@link TransactionConnection.StatementAfterEnd}).
     */
    public <T> Uni<T> run(TenantContext tenant, Function<SqlConnection, Uni<T>> work) {
        // Read, nothing to decide, nothing more to write: COMMIT (or ROLLBACK) once the work is done.
        return loadDecideWrite(tenant, work, Function.identity(), (c, result) -> Uni.createFrom().item(result));
    }

    /**
     * Runs a command as one transaction in two round trips: {@code load}'s statements travel with
     * BEGIN and the context; {@code decide} judges their result in Java; {@code write}'s statements
     * travel with COMMIT.
     *
     * <p>{@code load} may chain statements on results (its outcome is awaited) and may write (a claimed
     * key): a rejection still undoes it. {@code decide} rejects by throwing: then nothing of {@code write}
     * is sent and the transaction rolls back. {@code write} sends what was decided, all of it when
     * subscribed: COMMIT is queued right behind it, and a statement it sends later is refused
     * ({@link TransactionConnection.StatementAfterEnd}). A {@code write} that fails, or is still waiting
     * without having sent anything, when COMMIT would be queued gets ROLLBACK instead; a statement that
     * fails in PostgreSQL aborts the transaction, and PostgreSQL answers the COMMIT with a rollback. Either
     * way nothing is committed.
     */
    public <L, D, T> Uni<T> loadDecideWrite(TenantContext tenant, Function<SqlConnection, Uni<L>> load,
            Function<L, D> decide, BiFunction<SqlConnection, D, Uni<T>> write) {
        return onConnection(tenant, conn -> {
            TransactionConnection guard = new TransactionConnection(conn.getDelegate());
            SqlConnection forWork = SqlConnection.newInstance(guard);
            return opened(conn, tenant, forWork, load)
                    .map(decide)
                    .onItemOrFailure().transformToUni((decision, failure) -> {
                        if (failure != null) {
                            return rollback(conn, guard, failure);
                        }
                        Uni<T> written;
                        try {
                            written = write.apply(forWork, decision);
                        } catch (RuntimeException e) {
                            return rollback(conn, guard, e);
                        }
                        return endedAfter(conn, guard, written);
                    })
                    .onTermination().call(conn::close);
        }).invoke(x -> committed(tenant));
    }

    /** Tells the listeners (the audit sealer) that a transaction of this tenant committed. */
    private void committed(TenantContext tenant) {
        if (tenant.userId().startsWith(TenantWriteListener.FOLLOWER_ACTOR_PREFIX)) {
            return;
        }
        for (TenantWriteListener l : listeners) {
            l.committed(tenant);
        }
    }

    /**
     * Runs the transaction on a connection of the tenant's share ({@link TenantConnectionShare}); the share
     * is given back once the connection is back in the pool.
     */
    private <T> Uni<T> onConnection(TenantContext tenant, Function<SqlConnection, Uni<T>> transactionOn) {
        // Detached on purpose: a cancelled subscriber must not abandon the connection mid-transaction.
        return Uni.createFrom().emitter(emitter -> share.admit(tenant, permit -> connection()
                .subscribe().with(conn -> {
                    Uni<T> transaction;
                    try {
                        transaction = transactionOn.apply(conn);
                    } catch (RuntimeException e) {
                        // Nothing was sent yet: give the connection back and report, rather than hang.
                        conn.close().subscribe().with(v -> failed(emitter, permit, e), f -> failed(emitter, permit, e));
                        return;
                    }
                    transaction.subscribe().with(item -> {
                        permit.release();
                        emitter.complete(item);
                    }, f -> failed(emitter, permit, f));
                }, f -> failed(emitter, permit, f)), emitter::fail));
    }

    private static void failed(UniEmitter<?> emitter, TenantConnectionShare.Permit permit, Throwable failure) {
        permit.release();
        emitter.fail(failure);
    }

    /**
     * Streams {@code work} from one read-only REPEATABLE READ transaction of the tenant: every row it
     * emits comes from the same snapshot, however long the stream runs.
     *
     * <p>For a reader that must not hold its result in memory (a cursor, {@code RowStream}): items flow
     * as the subscriber asks for them. The connection goes back to the pool only after {@code COMMIT}
     * (completion) or {@code ROLLBACK} (failure, or a subscriber that cancels, such as a client that
     * disconnects mid-download); commands on a connection run in order, so the rollback follows whatever
     * fetch is still in flight and no transaction can leak to the next borrower.
     */
    public <T> Multi<T> stream(TenantContext tenant, Function<SqlConnection, Multi<T>> work) {
        if (tenant.underSupportGrant()) {
            // Streams serve platform-admin exports only; a support grant's record needs a writable transaction.
            return Multi.createFrom().failure(new IllegalStateException("A support grant does not stream"));
        }
        return share.admit(tenant).onItem().transformToMulti(permit -> connection()
                .onFailure().invoke(permit::release)
                .onItem().transformToMulti(conn -> Multi.createFrom()
                        .resource(() -> new TransactionConnection(conn.getDelegate()), guard -> conn
                                .query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").execute()
                                .flatMap(x -> conn.preparedQuery(setContext).execute(contextOf(tenant)))
                                .onItem().transformToMulti(x -> work.apply(SqlConnection.newInstance(guard))))
                        .withFinalizer(guard -> end(conn, guard.end("COMMIT"), permit),
                                (guard, failure) -> end(conn, guard.end("ROLLBACK"), permit),
                                guard -> end(conn, guard.end("ROLLBACK"), permit))));
    }

    /**
     * No connection within the pool's acquire timeout, a full wait queue, or a database that refuses
     * connections: fail fast with 503 rather than let requests pile up.
     */
    private Uni<SqlConnection> connection() {
        return pool.getConnection().onFailure().transform(e -> new ServiceUnavailable(ProblemType.SERVICE_UNAVAILABLE,
                "The database is busy or unreachable; retry shortly"));
    }

    private static Uni<Void> end(SqlConnection conn, String command, TenantConnectionShare.Permit permit) {
        return conn.query(command).execute().replaceWithVoid()
                .onTermination().call(conn::close)
                .onTermination().invoke(permit::release);
    }

    /**
     * {@code work} (already subscribed, its statements queued) followed by COMMIT, both awaited; ROLLBACK
     * instead of COMMIT if the work has failed already, or is still waiting without having sent a statement
     * (it would send it after COMMIT). From the moment the end is queued the work's connection refuses
     * statements. No ROLLBACK follows a queued COMMIT: PostgreSQL answers the COMMIT of an aborted
     * transaction with a rollback.
     */
    private static <T> Uni<T> endedAfter(SqlConnection conn, TransactionConnection guard, Uni<T> work) {
        AtomicReference<Throwable> failed = new AtomicReference<>();
        AtomicBoolean done = new AtomicBoolean();
        int sentBefore = guard.sent();
        Uni<T> tracked = work.onItemOrFailure().invoke((item, failure) -> {
            failed.set(failure);
            done.set(true);
        });
        Uni<Void> end = Uni.createFrom().deferred(() -> {
            boolean waitingUnsent = !done.get() && guard.sent() == sentBefore;
            String command = failed.get() != null || waitingUnsent ? "ROLLBACK" : "COMMIT";
            return conn.query(guard.end(command)).execute();
        }).replaceWithVoid();
        return Pipelined.joined(0, tracked, end);
    }

    /**
     * BEGIN, the tenant context and the work's first statements, queued on the connection in this order
     * when subscribed; every result is awaited (no fail-fast), so that nothing is in flight when COMMIT
     * or ROLLBACK follows. The first failure in queue order is the one reported.
     */
    private <T> Uni<T> opened(SqlConnection conn, TenantContext tenant, SqlConnection forWork,
            Function<SqlConnection, Uni<T>> work) {
        Uni<RowSet<Row>> begin = conn.query("BEGIN").execute();
        Uni<RowSet<Row>> context = Uni.createFrom().deferred(() -> conn.preparedQuery(setContext).execute(contextOf(tenant)));
        Uni<T> body = Uni.createFrom().deferred(() -> work.apply(forWork));
        if (tenant.underSupportGrant()) {
            return Pipelined.joined(3, begin, context, supportAccess(conn, tenant), body);
        }
        return Pipelined.joined(2, begin, context, body);
    }

    /**
     * Under a support grant, right after the context: the database checks the grant (TS403 if it is not
     * running), records the request in the tenant's audit trail and, for a read-only grant, makes the
     * transaction read-only (tenant V017).
     */
    private static Uni<RowSet<Row>> supportAccess(SqlConnection conn, TenantContext tenant) {
        return Uni.createFrom().deferred(() -> conn.preparedQuery(SUPPORT_ACCESS)
                .execute(Tuple.of(tenant.support().grantId(), tenant.support().request())));
    }

    private static <T> Uni<T> rollback(SqlConnection conn, TransactionConnection guard, Throwable failure) {
        return conn.query(guard.end("ROLLBACK")).execute()
                .onItemOrFailure().transformToUni((r, f) -> Uni.createFrom().failure(failure));
    }

    private Tuple contextOf(TenantContext tenant) {
        return Tuple.of(tenant.tenant().id().toString(), tenant.userId(), tenant.tenant().dataSchema(),
                config.statementTimeout().toMillis() + "ms");
    }

}
