package dev.tessera.shared.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.sql.Connection;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.tessera.testing.Db;
import dev.tessera.testing.PostgresTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;

/**
 * Each way of not getting a working connection, raised by the real Vert.x SQL client against the real
 * PostgreSQL, is a 503 with Retry-After; an ordinary SQL error stays a 500. If a client upgrade changes
 * the exception it raises (the acquire timeout has no type of its own), this fails rather than the API
 * silently answering 500.
 */
@QuarkusTest
class DatabaseUnavailableTest {

    @Inject
    Vertx vertx;

    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    String url;

    private Pool pool;

    @AfterEach
    void closePool() throws Exception {
        if (pool != null) {
            await(pool.close());
        }
    }

    @Test
    void noConnectionWithinTheAcquireTimeoutIs503() throws Exception {
        pool = pool(new PoolOptions().setMaxSize(1).setConnectionTimeout(200).setConnectionTimeoutUnit(TimeUnit.MILLISECONDS));
        SqlConnection held = await(pool.getConnection());

        Throwable refused = failure(pool.getConnection());

        assertThat(refused).isExactlyInstanceOf(NoStackTraceThrowable.class).hasMessage("Timeout");
        assertUnavailable(refused);
        held.close();
    }

    @Test
    void aFullWaitQueueIs503() throws Exception {
        pool = pool(new PoolOptions().setMaxSize(1).setMaxWaitQueueSize(1).setConnectionTimeout(5)
                .setConnectionTimeoutUnit(TimeUnit.SECONDS));
        SqlConnection held = await(pool.getConnection());
        Future<SqlConnection> queued = pool.getConnection();

        Throwable refused = failure(pool.getConnection());

        assertThat(refused).isInstanceOf(io.vertx.core.http.ConnectionPoolTooBusyException.class);
        assertUnavailable(refused);
        held.close();
        await(queued).close();
    }

    @Test
    void aRefusedConnectionIs503() throws Exception {
        pool = PgBuilder.pool().connectingTo(options().setPort(1)).using(vertx).build();

        Throwable refused = failure(pool.getConnection());

        assertThat(refused).isInstanceOf(java.net.ConnectException.class);
        assertUnavailable(refused);
    }

    @Test
    void aDatabaseThatRefusesTheSessionIs503() throws Exception {
        pool = PgBuilder.pool().connectingTo(options().setDatabase("tessera_no_such_database")).using(vertx).build();

        Throwable refused = failure(pool.getConnection());

        assertThat(refused).isInstanceOf(io.vertx.pgclient.PgException.class);
        assertUnavailable(refused);
    }

    @Test
    void aTerminatedBackendIs503() throws Exception {
        pool = pool(new PoolOptions().setMaxSize(1));
        SqlConnection conn = await(pool.getConnection());
        String pid = await(conn.query("SELECT pg_backend_pid()").execute()).iterator().next().getValue(0).toString();
        try (Connection su = Db.asSuperuser()) {
            Db.column(su, "SELECT pg_terminate_backend(?::int)::text", pid);
        }

        Throwable lost = failure(conn.query("SELECT 1").execute());

        assertUnavailable(lost);
    }

    @Test
    void anSqlErrorStaysA500AndAMessageAloneDecidesNothing() throws Exception {
        pool = pool(new PoolOptions().setMaxSize(1));

        Throwable syntax = failure(pool.query("SELEC 1").execute());

        assertThat(DatabaseUnavailable.causedBy(syntax)).isFalse();
        assertThat(new ProblemMappers().unexpected(syntax, null).getStatus()).isEqualTo(500);
        assertThat(DatabaseUnavailable.causedBy(new RuntimeException("Timeout"))).isFalse();
        assertThat(DatabaseUnavailable.causedBy(new IllegalStateException("Connection pool reached max wait queue size of 1")))
                .isFalse();
    }

    private static void assertUnavailable(Throwable e) {
        assertThat(DatabaseUnavailable.causedBy(e)).as("%s: %s", e.getClass().getName(), e.getMessage()).isTrue();
        // As the API sees it, whether the failure comes bare or wrapped by a caller.
        for (Throwable t : new Throwable[] { e, new IllegalStateException("wrapped", e) }) {
            Response r = new ProblemMappers().unexpected(t, null);
            assertThat(r.getStatus()).isEqualTo(503);
            assertThat(r.getHeaderString("Retry-After")).isEqualTo("5");
            assertThat(((Problem) r.getEntity()).type()).isEqualTo(ProblemType.SERVICE_UNAVAILABLE.uri());
        }
    }

    private Pool pool(PoolOptions options) {
        return PgBuilder.pool().with(options).connectingTo(options()).using(vertx).build();
    }

    private PgConnectOptions options() {
        return PgConnectOptions.fromUri(url).setUser("tessera_app").setPassword(PostgresTestResource.ROLE_PASSWORD)
                .setConnectTimeout(2_000);
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static Throwable failure(Future<?> f) {
        Throwable t = catchThrowable(() -> await(f));
        assertThat(t).as("the call failed").isInstanceOf(ExecutionException.class);
        return t.getCause();
    }
}
