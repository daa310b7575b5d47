package dev.tessera.ops;

import java.util.concurrent.TimeUnit;

import jakarta.inject.Singleton;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.SslMode;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/**
 * Builds the reactive pool with the limits Quarkus does not expose: how long a request may wait for a
 * connection and how many may wait. Without them an exhausted pool, or a database that is down, makes
 * requests queue without bound; with them they fail fast (TenantTx turns that into 503 + Retry-After).
 * Each new connection also gets {@link FlushCoalescing} (unless {@code tessera.db.coalesce-flushes} is off).
 * With TLS off ({@code TESSERA_DB_SSL_MODE=disable}) the trusted CA of the production profile is dropped.
 */
@Singleton
public class BoundedPoolCreator implements PgPoolCreator {

    private final DatabaseConfig config;

    BoundedPoolCreator(DatabaseConfig config) {
        this.config = config;
    }

    @Override
    public Pool create(Input input) {
        PoolOptions options = new PoolOptions(input.poolOptions())
                .setConnectionTimeout((int) config.poolAcquireTimeout().toMillis())
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
                .setMaxWaitQueueSize(config.poolMaxWaitQueue());
        input.pgConnectOptionsList().forEach(o -> {
            o.setConnectTimeout((int) config.poolAcquireTimeout().toMillis());
            if (o.getSslMode() == SslMode.DISABLE) {
                // The client reads the trusted CA file on every connect even when TLS is off, so that
                // TESSERA_DB_SSL_MODE=disable would still need TESSERA_DB_CA_FILE to name a readable file.
                o.setTrustOptions(null).setHostnameVerificationAlgorithm("");
            }
        });
        return PgBuilder.pool().with(options)
                .connectingTo(new java.util.ArrayList<io.vertx.sqlclient.SqlConnectOptions>(input.pgConnectOptionsList()))
                .withConnectHandler(conn -> {
                    // Runs once per new connection, before the pool hands it out; close() gives it to the pool.
                    if (config.coalesceFlushes()) {
                        FlushCoalescing.install(conn);
                    }
                    conn.close();
                })
                .using(input.vertx()).build();
    }
}
