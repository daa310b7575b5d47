package dev.tessera.access;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.tessera.access.persistence.ApiKeyRepository;
import dev.tessera.security.Roles;
import dev.tessera.shared.error.Conflict;
import dev.tessera.shared.error.Forbidden;
import dev.tessera.shared.error.InvalidInput;
import dev.tessera.shared.error.NotFound;
import dev.tessera.shared.error.ProblemType;
import dev.tessera.shared.id.UuidV7;
import dev.tessera.shared.paging.Page;
import dev.tessera.shared.paging.PageRequest;
import dev.tessera.tenancy.TenantContext;
import dev.tessera.tenancy.TenantTx;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Tenants' API keys: what a tenant admin does with them, and how a request's key is checked.
 *
 * <p>Checking a key costs no database work while the replica remembers it ({@code tessera.api-keys.cache-ttl},
 * default 5 s): one unique-index lookup by prefix otherwise, and nothing more for a prefix that does not
 * exist (misses are not remembered, so a key created on another replica works at once). A revocation on
 * this replica forgets the key at once; on the others it takes at most the TTL. Uses are recorded in
 * memory and written in one statement every {@code tessera.api-keys.last-used-flush}, never per request.
 */
@ApplicationScoped
public class ApiKeys {

    /** The roles a key may carry: tenant roles only, never platform-admin. */
    public static final Set<String> KEY_ROLES = Set.of(Roles.TENANT_MEMBER, Roles.TENANT_ADMIN, Roles.PII_READER);

    private final TenantTx tx;
    private final Pool pool;
    private final ApiKeyRepository keys;
    private final ApiKeyHash hash;
    private final ApiKeysConfig config;
    private final Cache<String, StoredKey> remembered;
    private final Map<UUID, OffsetDateTime> uses = new ConcurrentHashMap<>();

    ApiKeys(TenantTx tx, Pool pool, ApiKeyRepository keys, ApiKeyHash hash, ApiKeysConfig config) {
        this.tx = tx;
        this.pool = pool;
        this.keys = keys;
        this.hash = hash;
        this.config = config;
        this.remembered = Caffeine.newBuilder().expireAfterWrite(config.cacheTtl()).maximumSize(100_000).build();
    }

    /** A new key, and its text: the only time the secret is ever shown. */
    public record Created(ApiKey key, ApiKeyText text) {
    }

    public Uni<Created> create(TenantContext tenant, String name, List<String> roles, OffsetDateTime expiresAt) {
        refuseKeys(tenant);
        List<String> granted = List.copyOf(new LinkedHashSet<>(roles));
        for (String role : granted) {
            if (!KEY_ROLES.contains(role)) {
                throw new InvalidInput("roles", "'" + role + "' is not a role a key may hold (one of " + String.join(", ",
                        KEY_ROLES.stream().sorted().toList()) + ")");
            }
            if (!grantableBy(tenant.roles()).contains(role)) {
                throw new Forbidden(ProblemType.FORBIDDEN, "A key cannot hold '" + role + "': you do not hold it yourself");
            }
        }
        if (expiresAt != null && !expiresAt.isAfter(OffsetDateTime.now())) {
            throw new InvalidInput("expiresAt", "must be in the future");
        }
        ApiKeyText text = ApiKeyText.generate();
        return tx.inOneRoundTrip(tenant, conn -> keys.insert(conn, UuidV7.next(), text.prefix(), tenant.tenant().id(), name,
                granted, hash.of(text), tenant.userId(), expiresAt)).map(key -> new Created(key, text));
    }

    public Uni<Page<ApiKey>> list(TenantContext tenant, PageRequest page) {
        return tx.inOneRoundTrip(tenant, conn -> keys.list(conn, tenant.tenant().id(), page.after(), page.limit() + 1))
                .map(rows -> page.page(rows, ApiKey::id));
    }

    public Uni<ApiKey> get(TenantContext tenant, UUID id) {
        return tx.inOneRoundTrip(tenant, conn -> keys.find(conn, tenant.tenant().id(), id))
                .map(found -> found.orElseThrow(() -> new NotFound("API key")));
    }

    /** Revokes the key; revoking a revoked key again changes nothing. */
    public Uni<Void> revoke(TenantContext tenant, UUID id) {
        refuseKeys(tenant);
        return tx.inOneRoundTrip(tenant, conn -> keys.revoke(conn, tenant.tenant().id(), id, tenant.userId()))
                .map(prefix -> prefix.orElseThrow(() -> new NotFound("API key")))
                .invoke(remembered::invalidate)
                .replaceWithVoid();
    }

    /** A new secret for the key; the previous one keeps working for {@code grace}. */
    public Uni<Created> rotate(TenantContext tenant, UUID id, Duration grace) {
        refuseKeys(tenant);
        if (grace.isNegative() || grace.compareTo(config.maxGracePeriod()) > 0) {
            throw new InvalidInput("gracePeriod", "must be between PT0S and " + config.maxGracePeriod());
        }
        return tx.inOneRoundTrip(tenant, conn -> keys.find(conn, tenant.tenant().id(), id))
                .map(found -> found.orElseThrow(() -> new NotFound("API key")))
                .flatMap(key -> {
                    ApiKeyText text = ApiKeyText.withNewSecret(key.prefix());
                    return tx.inOneRoundTrip(tenant, conn -> keys.rotate(conn, tenant.tenant().id(), id, hash.of(text), grace,
                            tenant.userId())).map(rotation -> {
                                if (!rotation.found()) {
                                    throw new NotFound("API key");
                                }
                                ApiKey rotated = rotation.rotated().orElseThrow(() -> new Conflict(ProblemType.API_KEY_INACTIVE,
                                        "A revoked or expired key cannot be rotated"));
                                remembered.invalidate(rotated.prefix());
                                return new Created(rotated, text);
                            });
                });
    }

    /**
     * The key whose text this is, if it opens now: not revoked, not expired, its secret (or the previous
     * one in its grace period). Empty for anything else, for a key of any tenant alike.
     */
    public Uni<Optional<StoredKey>> authenticate(ApiKeyText text) {
        byte[] computed = hash.of(text);
        StoredKey known = remembered.getIfPresent(text.prefix());
        Uni<Optional<StoredKey>> stored = known != null ? Uni.createFrom().item(Optional.of(known))
                : keys.byPrefix(pool, text.prefix()).invoke(found -> found.ifPresent(k -> remembered.put(text.prefix(), k)));
        return stored.map(found -> {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            Optional<StoredKey> opened = found.filter(k -> k.opensWith(computed, now));
            opened.ifPresent(k -> uses.merge(k.id(), now, (a, b) -> a.isAfter(b) ? a : b));
            return opened;
        });
    }

    @Scheduled(every = "${tessera.api-keys.last-used-flush}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> flushUsesRegularly() {
        return flushUses().onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Writes the uses recorded since the last flush, in one statement; a failure keeps them for the next one. */
    public Uni<Integer> flushUses() {
        if (uses.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<UUID> ids = new ArrayList<>();
        List<OffsetDateTime> at = new ArrayList<>();
        for (UUID id : List.copyOf(uses.keySet())) {
            OffsetDateTime when = uses.remove(id);
            if (when != null) {
                ids.add(id);
                at.add(when);
            }
        }
        return keys.recordUse(pool, ids.toArray(UUID[]::new), at.toArray(OffsetDateTime[]::new))
                .onFailure().invoke(e -> {
                    Log.warnf("Recording the use of %d API keys failed, kept for the next flush: %s", ids.size(), e.getMessage());
                    for (int i = 0; i < ids.size(); i++) {
                        uses.merge(ids.get(i), at.get(i), (a, b) -> a.isAfter(b) ? a : b);
                    }
                });
    }

    /**
     * The last uses, written before the pool closes. Shutdown observers run on the main thread, never on
     * an event loop (as start-up checks do, CryptoStartupChecks), so waiting here blocks no request; the
     * wait is bounded, and a failure only loses last_used_at times of the final flush interval.
     */
    void onStop(@Observes ShutdownEvent event) {
        try {
            flushUses().await().atMost(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            Log.warnf("The last uses of API keys were not recorded at shutdown: %s", e.getMessage());
        }
    }

    /**
     * The roles a creator holding {@code roles} may give a key: those of them a key may hold, and what
     * tenant-admin includes (member rights and PII in clear).
     */
    static Set<String> grantableBy(Set<String> roles) {
        Set<String> grantable = new java.util.HashSet<>(roles);
        if (roles.contains(Roles.TENANT_ADMIN)) {
            grantable.add(Roles.TENANT_MEMBER);
            grantable.add(Roles.PII_READER);
        }
        grantable.retainAll(KEY_ROLES);
        return grantable;
    }

    /** Keys never manage keys: a leaked key must not be able to mint keys that outlive its revocation. */
    private static void refuseKeys(TenantContext tenant) {
        if (ApiKeyPrincipal.isKeyActor(tenant.userId())) {
            throw new Forbidden(ProblemType.FORBIDDEN, "API keys are managed with a person's token, not with an API key");
        }
    }
}
