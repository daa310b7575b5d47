package dev.tessera.audit;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.audit.persistence.AuditRepository;
import dev.tessera.security.Roles;
import dev.tessera.shared.error.Forbidden;
import dev.tessera.shared.error.ProblemType;
import dev.tessera.tenancy.TenantContext;
import dev.tessera.tenancy.TenantTx;
import io.smallrye.mutiny.Uni;

/** Reading and verifying a tenant's audit trail (tenant-admin only). */
@ApplicationScoped
public class AuditTrail {

    private final TenantTx tx;
    private final AuditRepository audit;

    AuditTrail(TenantTx tx, AuditRepository audit) {
        this.tx = tx;
        this.audit = audit;
    }

    public Uni<List<AuditEntry>> list(TenantContext tenant, AuditQuery query) {
        requireAdmin(tenant);
        return tx.inOneRoundTrip(tenant, conn -> audit.list(conn, query));
    }

    public Uni<ChainVerification> verify(TenantContext tenant) {
        requireAdmin(tenant);
        return tx.run(tenant, audit::verify);
    }

    private static void requireAdmin(TenantContext tenant) {
        if (!tenant.hasRole(Roles.TENANT_ADMIN)) {
            throw new Forbidden(ProblemType.FORBIDDEN, "The audit trail is for tenant-admin only");
        }
    }
}
