package dev.tessera.tenancy.provisioning;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.tenancy.TenantEntity;
import dev.tessera.tenancy.TenantState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Gauge {@code tessera_tenants{state}}: how many tenants are in each state, counted every
 * {@code tessera.metrics.tenant-states-interval} (a scrape never waits for the database). The state is
 * the only tag, so the series are bounded. The count borrows a pooled connection like any request;
 * {@code off} disables it (the tests that run on a pool of one connection do).
 */
@ApplicationScoped
@Startup
public class TenantStateMetrics {

    private final Map<TenantState, AtomicLong> counts = new EnumMap<>(TenantState.class);

    TenantStateMetrics(MeterRegistry metrics) {
        for (TenantState state : TenantState.values()) {
            AtomicLong n = new AtomicLong();
            counts.put(state, n);
            Gauge.builder("tessera.tenants", n, AtomicLong::get).tag("state", state.name()).register(metrics);
        }
    }

    @Scheduled(identity = "tenant-state-metrics", every = "{tessera.metrics.tenant-states-interval}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return Panache.withSession(() -> TenantEntity.getSession().flatMap(s -> s
                .createQuery("select t.state, count(t) from TenantEntity t group by t.state", Object[].class)
                .getResultList()))
                .invoke(this::apply)
                .onFailure().invoke(e -> Log.warnf("Counting tenants by state failed: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private void apply(List<Object[]> rows) {
        counts.values().forEach(n -> n.set(0));
        rows.forEach(r -> counts.get((TenantState) r[0]).set((Long) r[1]));
    }
}
