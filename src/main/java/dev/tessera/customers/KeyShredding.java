package dev.tessera.customers;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.customers.crypto.CustomerStore;
import dev.tessera.customers.crypto.KeyVersions;
import dev.tessera.customers.crypto.TenantKeys;
import dev.tessera.tenancy.Tenant;
import dev.tessera.tenancy.TenantContext;
import dev.tessera.tenancy.TenantDirectory;
import dev.tessera.tenancy.TenantTx;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Crypto-shredding: destroys the keys of every OFFBOARDING tenant whose export window has ended, so that
 * its ciphertext (here and in every data backup) can no longer be decrypted, and the tenant becomes
 * OFFBOARDED. Each tenant is its own transaction in its own tenant context; the database function
 * checks again that it is due, so running on several instances at once is harmless.
 */
@ApplicationScoped
public class KeyShredding {

    /** Actor recorded in platform_audit for the shredding. */
    public static final String ACTOR = "system:key-shredding";

    private final TenantDirectory directory;
    private final TenantTx tx;
    private final TenantKeys keys;
    private final KeyVersions versions;
    private final CustomerStore customers;
    private final MeterRegistry metrics;

    KeyShredding(TenantDirectory directory, TenantTx tx, TenantKeys keys, KeyVersions versions, CustomerStore customers,
            MeterRegistry metrics) {
        this.directory = directory;
        this.customers = customers;
        this.tx = tx;
        this.keys = keys;
        this.versions = versions;
        this.metrics = metrics;
    }

    @Scheduled(identity = "key-shredding", every = "{tessera.offboarding.shred-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        keys.evictExpired();
        return shredDue().onFailure().invoke(e -> Log.errorf("Key shredding failed: %s", e.getClass().getSimpleName()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Shreds every tenant that is due now, one after the other; returns how many were shredded. */
    public Uni<Integer> shredDue() {
        return directory.dueForShredding(OffsetDateTime.now())
                .onItem().transformToMulti(list -> Multi.createFrom().iterable(list))
                .onItem().transformToUniAndConcatenate(this::shred)
                .collect().asList()
                .map(results -> (int) results.stream().filter(Optional::isPresent).count());
    }

    private Uni<Optional<Integer>> shred(Tenant tenant) {
        TenantContext system = new TenantContext(tenant, ACTOR, Set.of());
        // With the keys go the clear names that rows written before tenant V014 still hold (nothing else
        // of a customer is in clear): in the same transaction, so no name outlives the keys.
        return tx.run(system, conn -> versions.shred(conn, tenant.id(), ACTOR)
                .call(destroyed -> destroyed.isPresent() ? customers.forgetClearNames(conn) : Uni.createFrom().voidItem()))
                .invoke(destroyed -> destroyed.ifPresent(n -> {
            metrics.counter("tessera.crypto.tenants.shredded").increment();
            Log.infof("Crypto-shredding: tenant %s (%s) is OFFBOARDED, %d key versions destroyed", tenant.slug(),
                    tenant.id(), n);
        }));
    }
}
