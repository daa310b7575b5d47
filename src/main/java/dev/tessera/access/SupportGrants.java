package dev.tessera.access;

import java.time.Duration;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.access.persistence.SupportGrantRepository;
import dev.tessera.access.persistence.SupportGrantRepository.Decide;
import dev.tessera.shared.error.Conflict;
import dev.tessera.shared.error.InvalidInput;
import dev.tessera.shared.error.NotFound;
import dev.tessera.shared.error.ProblemType;
import dev.tessera.shared.id.UuidV7;
import dev.tessera.shared.paging.Page;
import dev.tessera.shared.paging.PageRequest;
import dev.tessera.tenancy.TenantContext;
import dev.tessera.tenancy.TenantTx;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Support grants: a support user requests one (no tenant yet, owner functions); the tenant's admins list
 * them, approve or deny the pending ones, revoke the running ones, and choose whether grants wait for
 * their approval. Acting under a grant is TenantRequestFilter's and TenantTx's part (tenancy).
 */
@ApplicationScoped
public class SupportGrants {

    public static final String READ_ONLY = "read-only";
    public static final String READ_WRITE = "read-write";

    private final Pool pool;
    private final TenantTx tx;
    private final SupportGrantRepository grants;
    private final SupportConfig config;

    SupportGrants(Pool pool, TenantTx tx, SupportGrantRepository grants, SupportConfig config) {
        this.pool = pool;
        this.tx = tx;
        this.grants = grants;
        this.config = config;
    }

    /** A new grant of {@code supportUser} for the tenant: running at once, or pending if the tenant wants to approve. */
    public Uni<SupportGrant> request(String supportUser, UUID tenantId, String reason, String access, boolean pii,
            Duration duration) {
        Duration d = duration == null ? config.defaultDuration() : duration;
        if (d.isNegative() || d.isZero() || d.compareTo(config.maxDuration()) > 0) {
            throw new InvalidInput("duration", "must be more than PT0S and at most " + config.maxDuration());
        }
        String a = access == null ? READ_ONLY : access;
        if (!a.equals(READ_ONLY) && !a.equals(READ_WRITE)) {
            throw new InvalidInput("access", "must be read-only or read-write");
        }
        return grants.request(pool, UuidV7.next(), tenantId, supportUser, reason, a, pii, d)
                .onFailure(PgException.class).transform(e -> switch (((PgException) e).getSqlState()) {
                    case "P0002" -> new NotFound("tenant");
                    case "23514" -> new Conflict(ProblemType.TENANT_STATE_CONFLICT, "Only an active tenant gets support access");
                    default -> e;
                });
    }

    /** One of the support user's own grants. */
    public Uni<SupportGrant> ofUser(String supportUser, UUID id) {
        return grants.ofUser(pool, id, supportUser).map(g -> g.orElseThrow(() -> new NotFound("support grant")));
    }

    public Uni<Page<SupportGrant>> list(TenantContext tenant, PageRequest page) {
        return tx.inOneRoundTrip(tenant, conn -> grants.list(conn, tenant.tenant().id(), page.after(), page.limit() + 1))
                .map(rows -> page.page(rows, SupportGrant::id));
    }

    public Uni<SupportGrant> get(TenantContext tenant, UUID id) {
        return tx.inOneRoundTrip(tenant, conn -> grants.find(conn, tenant.tenant().id(), id))
                .map(g -> g.orElseThrow(() -> new NotFound("support grant")));
    }

    /** Approve or deny a pending grant (409 otherwise), or revoke one that is pending or running (anything else stays as it is). */
    public Uni<SupportGrant> decide(TenantContext tenant, Decide decision, UUID id) {
        return tx.inOneRoundTrip(tenant, conn -> grants.decide(conn, decision, tenant.tenant().id(), id, tenant.userId()))
                .map(found -> {
                    SupportGrantRepository.Decision d = found.orElseThrow(() -> new NotFound("support grant"));
                    if (!d.changed() && decision != Decide.REVOKE) {
                        throw new Conflict(ProblemType.SUPPORT_GRANT_NOT_PENDING,
                                "The grant is " + d.grant().state(java.time.OffsetDateTime.now()).name().toLowerCase()
                                        + ", not waiting for a decision");
                    }
                    return d.grant();
                });
    }

    public Uni<Boolean> approvalRequired(TenantContext tenant) {
        return tx.inOneRoundTrip(tenant, conn -> grants.approvalRequired(conn, tenant.tenant().id()));
    }

    public Uni<Boolean> requireApproval(TenantContext tenant, boolean required) {
        return tx.inOneRoundTrip(tenant, conn -> grants.setApprovalRequired(conn, tenant.tenant().id(), required, tenant.userId()));
    }
}
