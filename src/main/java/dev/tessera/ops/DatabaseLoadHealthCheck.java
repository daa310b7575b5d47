package dev.tessera.ops;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.tessera.ops.diagnostics.DatabaseDiagnostics;
import dev.tessera.ops.diagnostics.DiagnosticsConfig;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

/**
 * Readiness warning: connections above 80 % of max_connections, or a transaction open too long.
 *
 * <p>Always UP: neither condition is cured by taking this instance out of the load balancer (that would
 * only move its traffic to the others), but both need a human soon, so the check says so in its data.
 * Whether the database answers at all is {@link DatabaseHealthCheck}'s job.
 */
@Readiness
@ApplicationScoped
public class DatabaseLoadHealthCheck implements AsyncHealthCheck {

    static final String NAME = "database-load";

    private final DatabaseDiagnostics diagnostics;
    private final DiagnosticsConfig config;

    DatabaseLoadHealthCheck(DatabaseDiagnostics diagnostics, DiagnosticsConfig config) {
        this.diagnostics = diagnostics;
        this.config = config;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return diagnostics.load()
                .ifNoItem().after(Duration.ofSeconds(1)).fail()
                .map(load -> {
                    List<String> reasons = load.warnings(config.longTransactionThreshold());
                    var response = HealthCheckResponse.named(NAME).up()
                            .withData("warning", !reasons.isEmpty())
                            .withData("connections", load.connections())
                            .withData("maxConnections", load.maxConnections())
                            .withData("longestTransactionSeconds", Math.round(load.longestTransactionSeconds()));
                    return (reasons.isEmpty() ? response : response.withData("reason", String.join("; ", reasons)))
                            .build();
                })
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named(NAME).up()
                        .withData("warning", true)
                        .withData("reason", "the load statistics could not be read")
                        .build());
    }
}
