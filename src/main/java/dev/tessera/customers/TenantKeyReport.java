package dev.tessera.customers;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.customers.crypto.KeyVersions;
import dev.tessera.tenancy.Tenant;
import dev.tessera.tenancy.TenantContext;
import dev.tessera.tenancy.TenantTx;
import dev.tessera.tenancy.provisioning.TenantAdminView;
import dev.tessera.tenancy.provisioning.TenantKeyStatus;
import io.smallrye.mutiny.Uni;

/** The key versions of a tenant (read in its own transaction, nothing unwrapped) and its last rotation here. */
@ApplicationScoped
public class TenantKeyReport implements TenantKeyStatus {

    /** Actor of the read-only transaction (nothing audited is written). */
    static final String ACTOR = "system:key-report";

    private final TenantTx tx;
    private final KeyVersions keys;
    private final KeyRotation rotation;

    TenantKeyReport(TenantTx tx, KeyVersions keys, KeyRotation rotation) {
        this.tx = tx;
        this.keys = keys;
        this.rotation = rotation;
    }

    @Override
    public Uni<TenantAdminView.Keys> of(Tenant tenant) {
        return tx.run(new TenantContext(tenant, ACTOR, Set.of()), keys::versions).map(versions -> {
            var list = versions.stream().map(v -> new TenantAdminView.KeyVersion(v.version(), v.createdAt(), v.retiredAt()))
                    .toList();
            Integer current = list.isEmpty() ? null : list.get(list.size() - 1).version();
            KeyRotation.Progress p = rotation.progressOf(tenant.id());
            TenantAdminView.Rotation r = p == null ? null : new TenantAdminView.Rotation(p.version(), p.state(), p.rowsTotal(),
                    p.reencrypted(), p.remaining(), p.startedAt(), p.finishedAt());
            return new TenantAdminView.Keys(current, list, r);
        });
    }
}
