package dev.tessera.tenancy.provisioning;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness: DOWN while any dedicated tenant schema failed to migrate, naming those schemas. */
@Readiness
@ApplicationScoped
public class TenantSchemasHealthCheck implements HealthCheck {

    private final SchemaRegistry registry;

    TenantSchemasHealthCheck(SchemaRegistry registry) {
        this.registry = registry;
    }

    @Override
    public HealthCheckResponse call() {
        var failed = registry.failed();
        var builder = HealthCheckResponse.named("tenant-schemas").status(failed.isEmpty()).withData("failed", failed.size());
        failed.stream().limit(20).forEach(s -> builder.withData(s.schema(), s.error()));
        return builder.build();
    }
}
