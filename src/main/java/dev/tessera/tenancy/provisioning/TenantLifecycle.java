package dev.tessera.tenancy.provisioning;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.shared.error.Conflict;
import dev.tessera.shared.error.InvalidInput;
import dev.tessera.shared.error.ProblemType;
import dev.tessera.shared.error.SqlStates;
import dev.tessera.tenancy.TenantEntity;
import dev.tessera.tenancy.TenantState;
import org.hibernate.reactive.mutiny.Mutiny;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/**
 * The owner functions through which the service changes a tenant's lifecycle (platform V011):
 * {@code tessera_app} may not update a tenant's state, shredding date or identity provider itself.
 * Each function locks the row, refuses what the lifecycle does not allow (whatever the caller checked
 * before), and records the change in platform_audit in the same transaction. Called inside the
 * caller's Panache transaction: the caller's pending changes are flushed first, and the entity is read
 * again afterwards (a new instance, returned), so it shows what the row holds.
 */
@ApplicationScoped
class TenantLifecycle {

    /** Activates (from PROVISIONING or SUSPENDED) or suspends (from ACTIVE) the tenant; recorded. */
    Uni<TenantEntity> setState(TenantEntity t, TenantState to, String actor) {
        return TenantEntity.getSession().flatMap(s -> s.flush().chain(() -> s
                .createNativeQuery("SELECT tessera.tenant_set_state(:id, :to, :actor)")
                .setParameter("id", t.id).setParameter("to", to.name()).setParameter("actor", actor)
                .getSingleResult()
                .onFailure().transform(TenantLifecycle::refused)
                .chain(() -> reread(s, t))));
    }

    /** Moves an ACTIVE or SUSPENDED tenant to OFFBOARDING, its keys due after the window; recorded with details. */
    Uni<TenantEntity> offboard(TenantEntity t, Duration window, String actor, JsonObject details) {
        return TenantEntity.getSession().flatMap(s -> s.flush().chain(() -> s
                .createNativeQuery("SELECT cast(tessera.tenant_offboard(:id, cast(cast(:window as text) as interval), :actor, cast(cast(:details as text) as jsonb)) as text)")
                .setParameter("id", t.id).setParameter("window", window.toString()).setParameter("actor", actor)
                .setParameter("details", details.encode())
                .getSingleResult()
                .onFailure().transform(e -> SqlStates.messageOf(e, SqlStates.INVALID_PARAMETER_VALUE)
                        .<Throwable>map(m -> new InvalidInput("exportWindow", "is shorter than the minimum this database"
                                + " allows (lifecycle_policy.min_export_window, set by the operator)"))
                        .orElseGet(() -> refused(e)))
                .chain(() -> reread(s, t))));
    }

    /** Writes the entity's identity provider fields (validated by the caller) to the row; recorded if changed. */
    Uni<TenantEntity> setIdentityProvider(TenantEntity t, String actor) {
        return TenantEntity.getSession().flatMap(s -> s.flush().chain(() -> s
                .createNativeQuery("SELECT tessera.tenant_set_identity_provider(:id, :issuer, :jwks, :audience, :actor)")
                .setParameter("id", t.id).setParameter("issuer", t.oidcIssuer).setParameter("jwks", t.oidcJwksUrl)
                .setParameter("audience", t.oidcAudience).setParameter("actor", actor)
                .getSingleResult()
                .onFailure().transform(TenantLifecycle::refused)
                .chain(() -> reread(s, t))));
    }

    /**
     * The row as the function left it. Not {@code refresh(t)}: the native call leaves {@code t} outside
     * the session's persistence context, and Hibernate 7 deprecates refreshing a detached entity.
     */
    private static Uni<TenantEntity> reread(Mutiny.Session s, TenantEntity t) {
        s.detach(t);
        return s.find(TenantEntity.class, t.id);
    }

    /** A change the rules refused (a race with another request, or a state the caller did not expect): 409. */
    private static Throwable refused(Throwable e) {
        return SqlStates.messageOf(e, SqlStates.CHECK_VIOLATION)
                .<Throwable>map(m -> new Conflict(ProblemType.TENANT_STATE_CONFLICT, capitalised(m)))
                .orElse(e);
    }

    private static String capitalised(String m) {
        return m.isEmpty() ? m : Character.toUpperCase(m.charAt(0)) + m.substring(1);
    }
}
