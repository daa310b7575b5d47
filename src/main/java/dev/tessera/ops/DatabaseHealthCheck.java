package dev.tessera.ops;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** Readiness: the database answers the runtime role within a second and the migrations are applied. */
@Readiness
@ApplicationScoped
public class DatabaseHealthCheck implements AsyncHealthCheck {

    private final Pool pool;
    private final DatabaseStartup startup;

    DatabaseHealthCheck(Pool pool, DatabaseStartup startup) {
        this.pool = pool;
        this.startup = startup;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return pool.query("SELECT 1").execute()
                .ifNoItem().after(Duration.ofSeconds(1)).fail()
                .map(rows -> HealthCheckResponse.named("database")
                        .status(startup.migrated())
                        .withData("reachable", true)
                        .withData("migrated", startup.migrated())
                        .build())
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named("database").down()
                        .withData("reachable", false)
                        .withData("migrated", startup.migrated())
                        .build());
    }
}
