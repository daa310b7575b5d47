package dev.tessera.customers;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.customers.crypto.CustomerReencryption;
import dev.tessera.customers.crypto.KeyVersions;
import dev.tessera.customers.crypto.TenantKeys;
import dev.tessera.shared.error.Conflict;
import dev.tessera.shared.error.ProblemType;
import dev.tessera.tenancy.Tenant;
import dev.tessera.tenancy.TenantContext;
import dev.tessera.tenancy.TenantState;
import dev.tessera.tenancy.TenantTx;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * Rotates a tenant's data key without downtime: a new version becomes current at once (new writes use
 * it), then rows of older versions are re-encrypted in small batches in the background while reads
 * keep decrypting each row by its own version. The old version is retired when no row uses it. Rows
 * still in the storage format of before tenant V007 (four messages) move to the one-message format in
 * the same pass, whatever their version: rotating is how they are migrated.
 * Progress: {@link #progressOf}, gauges tessera.crypto.rotation.remaining and .running, and a log line
 * at every tenth of the rows.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup // its gauges exist from the start, not from the first rotation
public class KeyRotation {

    /** Actor recorded in the audit trail for re-encrypted rows. */
    public static final String ACTOR = "system:key-rotation";

    /** Progress of one tenant's rotation, as this instance runs it; {@code rowsTotal}: rows of older versions at the start. */
    public record Progress(int version, String state, long rowsTotal, long reencrypted, long remaining,
            OffsetDateTime startedAt, OffsetDateTime finishedAt, String error) {

        boolean running() {
            return state.equals("RUNNING");
        }

        Progress next(String nextState, long moved, long left) {
            return new Progress(version, nextState, rowsTotal, reencrypted + moved, left, startedAt,
                    nextState.equals("RUNNING") ? null : OffsetDateTime.now(), nextState.equals("FAILED") ? "re-encryption failed" : null);
        }
    }

    private final TenantTx tx;
    private final TenantKeys keys;
    private final KeyVersions versions;
    private final CustomerReencryption store;
    private final MeterRegistry metrics;
    private final CustomersConfig config;
    private final Map<UUID, Progress> progress = new ConcurrentHashMap<>();

    KeyRotation(TenantTx tx, TenantKeys keys, KeyVersions versions, CustomerReencryption store, MeterRegistry metrics,
            CustomersConfig config) {
        this.tx = tx;
        this.keys = keys;
        this.versions = versions;
        this.store = store;
        this.metrics = metrics;
        this.config = config;
        metrics.gauge("tessera.crypto.rotation.remaining", progress,
                m -> m.values().stream().filter(Progress::running).mapToLong(Progress::remaining).sum());
        metrics.gauge("tessera.crypto.rotation.running", progress, m -> m.values().stream().filter(Progress::running).count());
    }

    /** Adds the new key version and starts re-encryption in the background; returns the starting progress. */
    public Uni<Progress> start(Tenant tenant) {
        if (tenant.state() != TenantState.ACTIVE && tenant.state() != TenantState.SUSPENDED) {
            return Uni.createFrom().failure(new Conflict(ProblemType.TENANT_STATE_CONFLICT,
                    "The keys of a " + tenant.state().name().toLowerCase() + " tenant are not rotated"));
        }
        Progress running = progress.get(tenant.id());
        if (running != null && running.running()) {
            return Uni.createFrom().failure(new Conflict(ProblemType.CONFLICT, "A key rotation is already running"));
        }
        TenantContext system = new TenantContext(tenant, ACTOR, Set.of());
        return tx.run(system, conn -> keys.forTenant(conn, system).flatMap(k -> versions.addVersion(conn, system))
                .flatMap(version -> store.countPending(conn, version)
                        .map(n -> new Progress(version, "RUNNING", n, 0, n, OffsetDateTime.now(), null, null))))
                .invoke(p -> {
                    // Reads here take the new version from the keystore at once; other replicas notice
                    // the first row of it they read (their cached set lacks it) and reload.
                    keys.evict(tenant.id());
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
                .flatMap(moved -> store.countPending(conn, k.currentVersion()).map(left -> new long[] { moved, left }))))
                .flatMap(r -> {
                    metrics.counter("tessera.crypto.rotation.reencrypted").increment(r[0]);
                    Progress next = p.next("RUNNING", r[0], r[1]);
                    progress.put(system.tenant().id(), next);
                    logProgress(system.tenant(), p, next);
                    if (r[1] > 0 && r[0] > 0) {
                        return Uni.createFrom().voidItem().onItem().delayIt().by(config.rotationPause())
                                .flatMap(x -> run(system, next));
                    }
                    return finish(system, next);
                })
                .onFailure().recoverWithItem(e -> {
                    Log.errorf("Key rotation of tenant %s failed: %s", system.tenant().slug(), e.getClass().getSimpleName());
                    Progress failed = p.next("FAILED", 0, p.remaining());
                    progress.put(system.tenant().id(), failed);
                    return failed;
                });
    }

    /** Info at every tenth of the rows (debug for each batch), so that a long rotation shows in the log. */
    private static void logProgress(Tenant tenant, Progress before, Progress after) {
        long total = Math.max(after.rowsTotal(), 1);
        if (after.reencrypted() * 10 / total > before.reencrypted() * 10 / total) {
            Log.infof("Key rotation of tenant %s: %d of %d rows re-encrypted, %d left", tenant.slug(), after.reencrypted(),
                    after.rowsTotal(), after.remaining());
        } else {
            Log.debugf("Key rotation of tenant %s: batch done, %d left", tenant.slug(), after.remaining());
        }
    }

    private Uni<Progress> finish(TenantContext system, Progress p) {
        return tx.run(system, versions::retireUnused).map(retired -> {
            Progress done = p.next(p.remaining() == 0 ? "DONE" : "INCOMPLETE", 0, p.remaining());
            progress.put(system.tenant().id(), done);
            Log.infof("Key rotation of tenant %s: %d rows re-encrypted, versions retired %s", system.tenant().slug(),
                    p.reencrypted(), retired);
            return done;
        });
    }
}
