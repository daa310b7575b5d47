package dev.tessera.tenancy;

import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.security.Roles;
import dev.tessera.shared.error.Forbidden;
import dev.tessera.shared.error.ProblemType;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Finds the running support grant a support user's request names (header {@code Support-Grant}): one of
 * that user's own grants (tessera.support_grant_of), started and not ended, revoked or denied. Java
 * checks it to answer early and clearly; the database checks it again in every transaction
 * (support_access(), tenant V017), by its own clock.
 */
@ApplicationScoped
public class SupportGrantResolver {

    /** The header a support user's request names its grant with. */
    public static final String HEADER = "Support-Grant";

    static final String GRANT_OF = """
            SELECT tenant_id, access, pii, starts_at, ends_at, revoked_at
              FROM tessera.support_grant_of($1, $2)
            """;

    private final Pool pool;

    SupportGrantResolver(Pool pool) {
        this.pool = pool;
    }

    /** A running grant: the tenant it opens and the roles it gives there. */
    public record RunningGrant(UUID id, UUID tenantId, Set<String> roles) {
    }

    public Uni<RunningGrant> running(UUID grantId, String supportUser) {
        return pool.preparedQuery(GRANT_OF).execute(Tuple.of(grantId, supportUser)).map(rows -> {
            var it = rows.iterator();
            if (!it.hasNext()) {
                throw new Forbidden(ProblemType.SUPPORT_GRANT_INACTIVE, "You hold no support grant with this id");
            }
            Row g = it.next();
            OffsetDateTime now = OffsetDateTime.now();
            OffsetDateTime starts = g.getOffsetDateTime("starts_at");
            if (starts == null || g.getOffsetDateTime("revoked_at") != null || now.isBefore(starts)
                    || !now.isBefore(g.getOffsetDateTime("ends_at"))) {
                throw new Forbidden(ProblemType.SUPPORT_GRANT_INACTIVE,
                        "The support grant is waiting for approval, was denied or revoked, or has ended");
            }
            Set<String> roles = new HashSet<>(Set.of(Roles.TENANT_MEMBER));
            if (g.getBoolean("pii")) {
                roles.add(Roles.PII_READER);
            }
            return new RunningGrant(grantId, g.getUUID("tenant_id"), roles);
        });
    }
}
