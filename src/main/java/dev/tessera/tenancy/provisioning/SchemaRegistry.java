package dev.tessera.tenancy.provisioning;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * What this instance knows about dedicated tenant schemas: which are being migrated, current, or failed.
 *
 * <p>A schema this instance has not seen (provisioned by another instance after this one started) is
 * current by construction: provisioning migrates it before the tenant becomes active.
 */
@ApplicationScoped
public class SchemaRegistry {

    private final Map<String, SchemaStatus> schemas = new ConcurrentHashMap<>();

    public void record(SchemaStatus status) {
        schemas.put(status.schema(), status);
    }

    /** Drops what is known of a schema that no longer exists (a discarded provisioning). */
    public void forget(String schema) {
        schemas.remove(schema);
    }

    public Optional<SchemaStatus> statusOf(String schema) {
        return Optional.ofNullable(schemas.get(schema));
    }

    /** Whether requests for tenants in this schema may be served now. */
    public boolean servable(String schema) {
        SchemaStatus s = schemas.get(schema);
        return s == null || s.servable();
    }

    public List<SchemaStatus> failed() {
        return schemas.values().stream().filter(s -> s.state() == SchemaStatus.State.FAILED).toList();
    }
}
