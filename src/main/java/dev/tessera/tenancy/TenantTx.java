package dev.tessera.tenancy;

import java.util.function.BiFunction;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.shared.error.ProblemType;
import dev.tessera.shared.error.ServiceUnavailable;
import dev.tessera.shared.sql.Pipelined;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The one door into tenant data: one transaction on one connection, tenant context set first.
 *
 * <p>What it guarantees, and why:
 * <ul>
 * <li>The context is set with {@code set_config(..., true)}, so it dies with the transaction: nothing
 * survives into the next borrower of the connection, also behind PgBouncer in transaction mode.</li>
 * <li>{@code BEGIN}, the context statement and the first statement of the work are sent together
 * (the reactive client pipelines commands issued without waiting), so the tenant context costs no
 * extra round trip. {@code BEGIN} is sent as a plain query because the client's transaction API keeps
 * only one command in flight.</li>
 * <li>The pool does not reset a returned connection. So the connection goes back only after
 * {@code COMMIT} or {@code ROLLBACK} has completed, and the transaction runs to that end even if the
 * caller cancels (a client that disconnects): cancellation only drops the result.</li>
 * <li>A statement that runs longer than {@code tessera.tenancy.statement-timeout} is cancelled by the
 * server, and the transaction is rolled back.</li>
 * </ul>
 * The work must chain its statements on the given connection and leave none in flight when its
 * {@code Uni} completes.
 *
 * <p>{@link #single} is the same door for work whose statements are all sent at once (one statement, or
 * several that need no result of another): there {@code COMMIT} is queued right behind them as well,
 * so the whole transaction is one round trip. {@link #loadDecideWrite} is the door for a command that
 * reads, decides in Java and writes: two round trips, the second carrying the writes and {@code COMMIT}.
 */
@ApplicationScoped
public class TenantTx {

    static final String SET_CONTEXT = """
            SELECT set_config('app.tenant_id',     $1, true),
                   set_config('app.user_id',       $2, true),
                   set_config('search_path',       quote_ident($3) || ', public', true),
                   set_config('statement_timeout', $4, true)
            """;

    private final Pool pool;
    private final TenancyConfig config;

    TenantTx(Pool pool, TenancyConfig config) {
        this.pool = pool;
        this.config = config;
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
        return onConnection(conn -> conn.preparedQuery(read.sql()).execute(arguments).map(read::map)
                .onTermination().call(conn::close));
    }

    /**
     * Runs {@code statements}, which must send all of its statements when subscribed and chain nothing
     * on a result, in a transaction of the given tenant whose {@code COMMIT} travels with them.
     *
     * <p>BEGIN, the context, the statements and COMMIT are queued together, in that order, on one
     * connection. If a statement fails, PostgreSQL has aborted the transaction and answers the queued
     * COMMIT with a rollback, so a failure never commits anything. Work that reads a result and then
     * sends another statement must use {@link #run}: here that later statement would come after COMMIT,
     * outside the tenant context, where RLS and the search path show it nothing.
     */
    public <T> Uni<T> single(TenantContext tenant, Function<SqlConnection, Uni<T>> statements) {
        return run(tenant, statements, true);
    }

    /** Runs {@code work} inside a transaction of the given tenant and returns its result after COMMIT. */
    public <T> Uni<T> run(TenantContext tenant, Function<SqlConnection, Uni<T>> work) {
        return run(tenant, work, false);
    }

    /**
     * Runs a command as one transaction in two round trips: {@code load}'s statements travel with
     * BEGIN and the context; {@code decide} judges their result in Java; {@code write}'s statements
     * travel with COMMIT.
     *
     * <p>{@code load} may chain statements on results (its outcome is awaited) and may write (a claimed
     * key): a rejection still undoes it. {@code decide} rejects by throwing: then nothing of {@code write}
     * is sent and the transaction rolls back. {@code write} must only send what was decided, all of it
     * when subscribed, and must not fail before sending it, because COMMIT is queued right behind it; a
     * statement that fails there aborts the transaction, and PostgreSQL answers that COMMIT with a
     * rollback, so nothing is committed.
     */
    public <L, D, T> Uni<T> loadDecideWrite(TenantContext tenant, Function<SqlConnection, Uni<L>> load,
            Function<L, D> decide, BiFunction<SqlConnection, D, Uni<T>> write) {
        return onConnection(conn -> inCommand(conn, tenant, load, decide, write));
    }

    private <T> Uni<T> run(TenantContext tenant, Function<SqlConnection, Uni<T>> work, boolean single) {
        return onConnection(conn -> inTransaction(conn, tenant, work, single));
    }

    private <T> Uni<T> onConnection(Function<SqlConnection, Uni<T>> transactionOn) {
        // Detached on purpose: a cancelled subscriber must not abandon the connection mid-transaction.
        return Uni.createFrom().emitter(emitter -> connection().subscribe().with(conn -> {
            Uni<T> transaction;
            try {
                transaction = transactionOn.apply(conn);
            } catch (RuntimeException e) {
                // Nothing was sent yet: give the connection back and report, rather than hang.
                conn.close().subscribe().with(v -> emitter.fail(e), f -> emitter.fail(e));
                return;
            }
            transaction.subscribe().with(emitter::complete, emitter::fail);
        }, emitter::fail));
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
        return connection().onItem().transformToMulti(conn -> Multi.createFrom()
                .resource(() -> conn, c -> c.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").execute()
                        .flatMap(x -> c.preparedQuery(SET_CONTEXT).execute(contextOf(tenant)))
                        .onItem().transformToMulti(x -> work.apply(c)))
                .withFinalizer(c -> end(c, "COMMIT"), (c, failure) -> end(c, "ROLLBACK"), c -> end(c, "ROLLBACK")));
    }

    /**
     * No connection within the pool's acquire timeout, a full wait queue, or a database that refuses
     * connections: fail fast with 503 rather than let requests pile up.
     */
    private Uni<SqlConnection> connection() {
        return pool.getConnection().onFailure().transform(e -> new ServiceUnavailable(ProblemType.SERVICE_UNAVAILABLE,
                "The database is busy or unreachable; retry shortly"));
    }

    private static Uni<Void> end(SqlConnection conn, String command) {
        return conn.query(command).execute().replaceWithVoid()
                .onTermination().call(conn::close);
    }

    private <T> Uni<T> inTransaction(SqlConnection conn, TenantContext tenant, Function<SqlConnection, Uni<T>> work,
            boolean single) {
        if (!single) {
            // Read, nothing to decide, nothing more to write: COMMIT (or ROLLBACK) once the work is done.
            return inCommand(conn, tenant, work, Function.identity(), (c, result) -> Uni.createFrom().item(result));
        }
        Uni<Void> commit = conn.query("COMMIT").execute().replaceWithVoid();
        // Queued in this order; every result is awaited, so nothing is in flight when the connection
        // goes back. The first failure in queue order is the one reported.
        return Uni.combine().all().unis(opened(conn, tenant, work), commit).collectFailures()
                .with((result, done) -> TenantTx.<T>cast(result))
                .onFailure().transform(Pipelined::firstInQueue)
                .onTermination().call(conn::close);
    }

    private <L, D, T> Uni<T> inCommand(SqlConnection conn, TenantContext tenant, Function<SqlConnection, Uni<L>> load,
            Function<L, D> decide, BiFunction<SqlConnection, D, Uni<T>> write) {
        return opened(conn, tenant, load)
                .map(decide)
                .onItemOrFailure().transformToUni((decision, failure) -> {
                    if (failure != null) {
                        return rollback(conn, failure);
                    }
                    Uni<T> written;
                    try {
                        written = write.apply(conn, decision);
                    } catch (RuntimeException e) {
                        return rollback(conn, e);
                    }
                    // From here on the transaction ends with this COMMIT whatever happens: no ROLLBACK after it.
                    Uni<Void> commit = conn.query("COMMIT").execute().replaceWithVoid();
                    return Uni.combine().all().unis(written, commit).collectFailures()
                            .with((result, done) -> TenantTx.<T>cast(result))
                            .onFailure().transform(Pipelined::firstInQueue);
                })
                .onTermination().call(conn::close);
    }

    /**
     * BEGIN, the tenant context and the work's first statements, queued on the connection in this order
     * when subscribed; every result is awaited (no fail-fast), so that nothing is in flight when COMMIT
     * or ROLLBACK follows. The first failure in queue order is the one reported.
     */
    private <T> Uni<T> opened(SqlConnection conn, TenantContext tenant, Function<SqlConnection, Uni<T>> work) {
        Uni<Void> begin = conn.query("BEGIN").execute().replaceWithVoid();
        Uni<Void> context = Uni.createFrom().deferred(() -> conn.preparedQuery(SET_CONTEXT).execute(contextOf(tenant)))
                .replaceWithVoid();
        Uni<T> body = Uni.createFrom().deferred(() -> work.apply(conn));
        return Uni.combine().all().unis(begin, context, body).collectFailures()
                .with((b, c, result) -> TenantTx.<T>cast(result))
                .onFailure().transform(Pipelined::firstInQueue);
    }

    private static <T> Uni<T> rollback(SqlConnection conn, Throwable failure) {
        return conn.query("ROLLBACK").execute().onItemOrFailure().transformToUni((r, f) -> Uni.createFrom().failure(failure));
    }

    private Tuple contextOf(TenantContext tenant) {
        return Tuple.of(tenant.tenant().id().toString(), tenant.userId(), tenant.tenant().dataSchema(),
                config.statementTimeout().toMillis() + "ms");
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }
}
