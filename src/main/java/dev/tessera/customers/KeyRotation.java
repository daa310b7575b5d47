package dev.tessera.customers;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.customers.crypto.CustomerStore;
import dev.tessera.customers.crypto.TenantKeys;
import dev.tessera.shared.error.Conflict;
import dev.tessera.shared.error.ProblemType;
import dev.tessera.tenancy.Tenant;
import dev.tessera.tenancy.TenantContext;
import dev.tessera.tenancy.TenantTx;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * Rotates a tenant's data key without downtime: a new version becomes current at once (new writes use
 * it), then rows of older versions are re-encrypted in small batches in the background while reads
 * keep decrypting each row by its own version. The old version is retired when no row uses it.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup // its gauges exist from the start, not from the first rotation
public class KeyRotation {

    /** Actor recorded in the audit trail for re-encrypted rows. */
    public static final String ACTOR = "system:key-rotation";

    /** Progress of one tenant's rotation, as this instance runs it. */
    public record Progress(int version, String state, long reencrypted, long remaining, String error) {
    }

    private final TenantTx tx;
    private final TenantKeys keys;
    private final CustomerStore store;
    private final MeterRegistry metrics;
    private final CustomersConfig config;
    private final Map<UUID, Progress> progress = new ConcurrentHashMap<>();

    KeyRotation(TenantTx tx, TenantKeys keys, CustomerStore store, MeterRegistry metrics, CustomersConfig config) {
        this.tx = tx;
        this.keys = keys;
        this.store = store;
        this.metrics = metrics;
        this.config = config;
        // Bounded: no tenant tag. Rows still to re-encrypt and rotations running on this instance.
        io.micrometer.core.instrument.Gauge.builder("tessera.crypto.rotation.remaining", progress,
                m -> m.values().stream().filter(p -> "RUNNING".equals(p.state())).mapToLong(Progress::remaining).sum())
                .register(metrics);
        io.micrometer.core.instrument.Gauge.builder("tessera.crypto.rotations.running", progress,
                m -> m.values().stream().filter(p -> "RUNNING".equals(p.state())).count()).register(metrics);
    }

    /** Adds the new key version and starts re-encryption in the background; returns the starting progress. */
    public Uni<Progress> start(Tenant tenant) {
        Progress running = progress.get(tenant.id());
        if (running != null && running.state().equals("RUNNING")) {
            return Uni.createFrom().failure(new Conflict(ProblemType.CONFLICT, "A key rotation is already running"));
        }
        TenantContext system = new TenantContext(tenant, ACTOR, Set.of());
        return tx.run(system, conn -> keys.forTenant(conn, system).flatMap(k -> keys.addVersion(conn, system))
                .flatMap(version -> store.countOlderThan(conn, version).map(n -> new Progress(version, "RUNNING", 0, n, null))))
                .invoke(p -> {
                    progress.put(tenant.id(), p);
                    Log.infof("Key rotation of tenant %s: version %d, %d rows to re-encrypt, %d per batch", tenant.slug(),
                            p.version(), p.remaining(), config.rotationBatchSize());
                    // Background work: not tied to the request that started it.
                    run(system, p).subscribe().with(done -> { }, e -> { });
                });
    }

    public Progress progressOf(UUID tenant) {
        return progress.get(tenant);
    }

    private Uni<Progress> run(TenantContext system, Progress p) {
        return tx.run(system, conn -> keys.forTenant(conn, system).flatMap(k -> store.reencrypt(conn, k, config.rotationBatchSize())
                .flatMap(moved -> store.countOlderThan(conn, k.currentVersion()).map(left -> new long[] { moved, left }))))
                .flatMap(r -> {
                    metrics.counter("tessera.crypto.rotation.reencrypted").increment(r[0]);
                    Log.debugf("Key rotation of tenant %s: batch of %d, %d left", system.tenant().slug(), r[0], r[1]);
                    Progress next = new Progress(p.version(), "RUNNING", p.reencrypted() + r[0], r[1], null);
                    progress.put(system.tenant().id(), next);
                    if (r[1] > 0 && r[0] > 0) {
                        return Uni.createFrom().voidItem().onItem().delayIt().by(config.rotationPause())
                                .flatMap(x -> run(system, next));
                    }
                    return finish(system, next);
                })
                .onFailure().recoverWithItem(e -> {
                    Log.errorf("Key rotation of tenant %s failed: %s", system.tenant().slug(), e.getClass().getSimpleName());
                    Progress failed = new Progress(p.version(), "FAILED", p.reencrypted(), p.remaining(), "re-encryption failed");
                    progress.put(system.tenant().id(), failed);
                    return failed;
                });
    }

    private Uni<Progress> finish(TenantContext system, Progress p) {
        return tx.run(system, keys::retireUnused).map(retired -> {
            Progress done = new Progress(p.version(), p.remaining() == 0 ? "DONE" : "INCOMPLETE", p.reencrypted(),
                    p.remaining(), null);
            progress.put(system.tenant().id(), done);
            Log.infof("Key rotation of tenant %s: %d rows re-encrypted, versions retired %s", system.tenant().slug(),
                    p.reencrypted(), retired);
            return done;
        });
    }
}
