package dev.tessera.tenancy.idp;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

/**
 * The issuers that tenants registered for their own identity providers, held in memory, so that the
 * unverified {@code iss} of a token, which any caller chooses freely, is looked up in the tenant directory
 * only when some tenant registered it: an unknown issuer costs no query and no cache entry.
 *
 * <p>The set is reloaded when this instance changes a registration ({@link #refresh()}, called by
 * provisioning) and every {@code tessera.tenancy.idp.issuer-refresh} (default 5s), which bounds how long
 * another instance's change takes to arrive. Its size is the number of registered issuers: platform
 * administrators decide it, callers cannot grow it.
 */
@ApplicationScoped
public class RegisteredIssuers {

    static final String QUERY = "SELECT oidc_issuer FROM tessera.tenants WHERE oidc_issuer IS NOT NULL";

    private final Pool pool;
    private final LongAdder loads = new LongAdder();
    /** Null until the first load; replaced whole, never changed in place. */
    private volatile Set<String> issuers;

    RegisteredIssuers(Pool pool) {
        this.pool = pool;
    }

    /** Whether some tenant registered this issuer (the first call of an instance loads the set). */
    public Uni<Boolean> contains(String issuer) {
        Set<String> known = issuers;
        if (known != null) {
            return Uni.createFrom().item(known.contains(issuer));
        }
        return refresh().map(loaded -> loaded.contains(issuer));
    }

    /** Reloads the set from the tenant directory. */
    public Uni<Set<String>> refresh() {
        return pool.query(QUERY).execute().map(rows -> {
            Set<String> loaded = new HashSet<>();
            for (Row row : rows) {
                loaded.add(row.getString(0));
            }
            issuers = Set.copyOf(loaded);
            loads.increment();
            return issuers;
        });
    }

    @Scheduled(identity = "registered-issuers", every = "{tessera.tenancy.idp.issuer-refresh}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refreshPeriodically() {
        return refresh().replaceWithVoid();
    }

    /** How many times the set was loaded (tests compare it with the number of requests). */
    long loads() {
        return loads.sum();
    }
}
