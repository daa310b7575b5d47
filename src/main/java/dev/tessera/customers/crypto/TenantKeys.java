package dev.tessera.customers.crypto;

import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.shared.error.Failure;
import dev.tessera.shared.error.ProblemType;
import dev.tessera.tenancy.TenantContext;
import dev.tessera.tenancy.TenantState;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The tenant's data keys, read inside the caller's tenant transaction (tessera_keys.tenant_keys is
 * under RLS) and unwrapped in memory ({@link KeyCache}). A brand-new tenant's first key is created on
 * first use; a tenant whose rows hold ciphertext but whose keys are gone gets none (that would hide a
 * keystore lost in a restore behind a key nothing was encrypted with). The keystore schema is kept out
 * of the data backups, so that destroying a tenant's keys ({@link KeyVersions#shred}) makes its
 * ciphertext unreadable in every backup too.
 */
@ApplicationScoped
public class TenantKeys {

    static final String SELECT = """
            SELECT version, data_key_wrapped, hmac_key_wrapped
              FROM tessera_keys.tenant_keys
             ORDER BY version
            """;

    static final String CREATE_FIRST = """
            INSERT INTO tessera_keys.tenant_keys (version, data_key_wrapped, hmac_key_wrapped)
            VALUES (1, $1, $2)
            ON CONFLICT (tenant_id, version) DO NOTHING
            """;

    /**
     * Any ciphertext, customer PII in either storage format or a webhook secret ({@link SecretCipher}):
     * then keys existed, and a first key must not be minted.
     */
    static final String HOLDS_CIPHERTEXT = """
            SELECT EXISTS (SELECT 1
                             FROM customers
                            WHERE num_nonnulls(pii_enc, email_enc, phone_enc, tax_id_enc, address_enc) > 0)
                OR EXISTS (SELECT 1 FROM wh_endpoints) AS holds
            """;

    private final MasterKey master;
    private final KeyCache cache;
    private final MeterRegistry metrics;

    TenantKeys(MasterKey master, KeyCache cache, MeterRegistry metrics) {
        this.master = master;
        this.cache = cache;
        this.metrics = metrics;
    }

    /**
     * The tenant's key set as this instance last read it, if it is younger than the cache TTL; only for
     * reads, which must reload ({@link StaleKeys}) on a row of a version the set lacks. A tenant that is
     * no longer served loses its cached set here.
     */
    public Optional<DataKeys> cached(TenantContext tenant) {
        TenantState state = tenant.tenant().state();
        if (state == TenantState.OFFBOARDING || state == TenantState.OFFBOARDED) {
            cache.evict(tenant.tenant().id());
            return Optional.empty();
        }
        return cache.set(tenant.tenant().id());
    }

    /**
     * The tenant's key versions, if it has any; creates none (for read-only transactions such as the
     * export), and fails like {@link #forTenant} if there is ciphertext but no key.
     */
    public Uni<Optional<DataKeys>> existing(SqlConnection conn, TenantContext tenant) {
        return conn.preparedQuery(SELECT).execute().flatMap(rows -> rows.size() > 0
                ? Uni.createFrom().item(Optional.of(load(tenant.tenant().id(), rows)))
                : conn.preparedQuery(HOLDS_CIPHERTEXT).execute().flatMap(r -> r.iterator().next().getBoolean("holds")
                        ? Uni.createFrom().failure(missing(tenant))
                        : Uni.createFrom().item(Optional.<DataKeys>empty())));
    }

    /**
     * All key versions of the tenant, read from the keystore (and cached for reads); creates version 1
     * for a tenant that has no key and no ciphertext, and fails ({@link #missing}) for one that has
     * ciphertext but no key.
     */
    public Uni<DataKeys> forTenant(SqlConnection conn, TenantContext tenant) {
        UUID id = tenant.tenant().id();
        return conn.preparedQuery(SELECT).execute().flatMap(rows -> {
            if (rows.size() > 0) {
                DataKeys keys = load(id, rows);
                cache.putSet(id, keys);
                return Uni.createFrom().item(keys);
            }
            return conn.preparedQuery(HOLDS_CIPHERTEXT).execute().flatMap(r -> r.iterator().next().getBoolean("holds")
                    ? Uni.createFrom().failure(missing(tenant))
                    : createFirst(conn, id).flatMap(x -> forTenant(conn, tenant)));
        });
    }

    /**
     * The failure for a tenant whose ciphertext has no key in the keystore (typically a data restore
     * without {@code ops/restore --keys}): logged as an error for the operator, 500 for the client, and
     * no key is created, so that restoring the keystore makes every row readable again.
     */
    public RuntimeException missing(TenantContext tenant) {
        Log.errorf("Tenant %s (%s) has encrypted customer data under key versions its keystore does not hold; "
                + "no key was created. Restore the keystore backup (ops/restore --keys).", tenant.tenant().slug(),
                tenant.tenant().id());
        metrics.counter("tessera.crypto.keys.missing").increment();
        return new Failure(ProblemType.TENANT_KEYS_MISSING, "The tenant's encryption keys are missing from the keystore; "
                + "its customer data cannot be read or written until they are restored");
    }

    /**
     * A cached key set turned out older than the keystore (a row of a version it lacks, written after
     * another replica rotated): counted as tessera.crypto.keys.stale; the caller reads the keystore again.
     */
    public void stale(TenantContext tenant) {
        metrics.counter("tessera.crypto.keys.stale").increment();
        cache.evict(tenant.tenant().id());
    }

    /** Forgets the unwrapped keys of a tenant on this instance (other instances keep theirs at most the TTL). */
    public void evict(UUID tenant) {
        cache.evict(tenant);
    }

    /** Drops every expired unwrapped key from memory (a lookup only skips them; this frees them). */
    public void evictExpired() {
        cache.evictExpired();
    }

    private Uni<RowSet<Row>> createFirst(SqlConnection conn, UUID id) {
        metrics.counter("tessera.crypto.keys.created").increment();
        // A concurrent first use may win the race (DO NOTHING): the caller reads back whichever exists.
        return conn.preparedQuery(CREATE_FIRST).execute(Tuple.of(newWrapped(master, id, 1, "data"),
                newWrapped(master, id, 1, "hmac")));
    }

    /** A new random key for one version and purpose, wrapped under the master key and bound to both. */
    static Buffer newWrapped(MasterKey master, UUID tenant, int version, String purpose) {
        return Buffer.buffer(master.wrap(MasterKey.randomKey(), context(tenant, version, purpose)));
    }

    private DataKeys load(UUID tenant, RowSet<Row> rows) {
        TreeMap<Integer, byte[][]> keys = new TreeMap<>();
        rows.forEach(r -> keys.put(r.getInteger("version"), unwrap(tenant, r)));
        return new DataKeys(keys);
    }

    private byte[][] unwrap(UUID tenant, Row r) {
        int version = r.getInteger("version");
        return cache.version(tenant, version, () -> {
            metrics.counter("tessera.crypto.keys.unwrapped").increment();
            return new byte[][] {
                    master.unwrap(r.getBuffer("data_key_wrapped").getBytes(), context(tenant, version, "data")),
                    master.unwrap(r.getBuffer("hmac_key_wrapped").getBytes(), context(tenant, version, "hmac")) };
        });
    }

    static String context(UUID tenant, int version, String purpose) {
        return "tessera:" + tenant + ":" + version + ":" + purpose;
    }
}
