package dev.tessera.limits.api;

import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tessera.limits.LimitOverrides;
import dev.tessera.limits.LimitOverridesStore;
import dev.tessera.limits.Plans;
import dev.tessera.security.Roles;
import dev.tessera.shared.error.ProblemType;
import dev.tessera.shared.id.PublicIds;
import dev.tessera.shared.openapi.ApiContract;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** {@code /admin/tenants/{id}/limits}: a tenant's plan limits and its own overrides, for platform administrators. */
@Path("/admin/tenants/{id}/limits")
@Tag(name = "Platform administration")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.PLATFORM_ADMIN)
public class TenantLimitsResource {

    private final LimitOverridesStore store;
    private final Plans plans;
    private final SecurityIdentity identity;

    TenantLimitsResource(LimitOverridesStore store, Plans plans, SecurityIdentity identity) {
        this.store = store;
        this.plans = plans;
        this.identity = identity;
    }

    @GET
    @Operation(operationId = "describeTenantLimits",
            summary = "The tenant's plan, its overrides and the limits in force (request rates, write rate, share of connections)")
    public Uni<TenantLimitsView> get(@PathParam("id") String id) {
        return store.find(PublicIds.parse("id", id)).map(t -> TenantLimitsView.of(t.toTenant(), plans));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiContract(problems = ProblemType.TENANT_STATE_CONFLICT)
    @Operation(operationId = "replaceTenantLimits",
            summary = "Replace the tenant's overrides of its plan's limits ({} returns it to its plan); recorded in the"
            + " platform audit; every instance applies them within the tenant cache's TTL; 409 once offboarding")
    public Uni<TenantLimitsView> replace(@PathParam("id") String id, @Valid @NotNull LimitOverrides overrides) {
        UUID tenant = PublicIds.parse("id", id);
        return store.find(tenant).chain(() -> store.replace(tenant, overrides, identity.getPrincipal().getName()))
                .map(t -> TenantLimitsView.of(t.toTenant(), plans));
    }
}
