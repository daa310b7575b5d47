package dev.tessera.access.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tessera.access.SupportGrants;
import dev.tessera.access.persistence.SupportGrantRepository.Decide;
import dev.tessera.security.Roles;
import dev.tessera.shared.error.ProblemType;
import dev.tessera.shared.id.PublicIds;
import dev.tessera.shared.openapi.ApiContract;
import dev.tessera.shared.paging.Page;
import dev.tessera.shared.paging.PageRequest;
import dev.tessera.shared.paging.QueryParams;
import dev.tessera.tenancy.CurrentTenant;
import dev.tessera.tenancy.TenantScoped;
import io.smallrye.mutiny.Uni;

/**
 * {@code /api/support-grants}: what the tenant's admins see of support access to their tenant, and what
 * they decide: approve or deny a pending grant, revoke one, require approval for every grant.
 */
@Path("/api/support-grants")
@TenantScoped
@Tag(name = "Support access")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.TENANT_ADMIN)
public class SupportGrantResource {

    private final SupportGrants grants;
    private final CurrentTenant tenant;

    SupportGrantResource(SupportGrants grants, CurrentTenant tenant) {
        this.grants = grants;
        this.tenant = tenant;
    }

    /** Body and answer of the support policy. */
    public record SupportPolicy(@NotNull Boolean approvalRequired) {
    }

    @GET
    @Operation(operationId = "listSupportGrants",
            summary = "Support grants for the tenant, every state (keyset: limit, cursor); what each support user did is in /api/audit")
    public Uni<Page<SupportGrantResponse>> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return grants.list(tenant.get(), PageRequest.of(QueryParams.integer("limit", limit), cursor))
                .map(page -> page.map(SupportGrantResponse::of));
    }

    @GET
    @Path("policy")
    @Operation(operationId = "getSupportPolicy", summary = "Whether support access waits for a tenant admin's approval")
    public Uni<SupportPolicy> policy() {
        return grants.approvalRequired(tenant.get()).map(SupportPolicy::new);
    }

    @PUT
    @Path("policy")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "setSupportPolicy",
            summary = "Require (or stop requiring) a tenant admin's approval before support access starts; recorded in the platform audit")
    public Uni<SupportPolicy> setPolicy(@Valid @NotNull SupportPolicy policy) {
        return grants.requireApproval(tenant.get(), policy.approvalRequired()).map(SupportPolicy::new);
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getSupportGrant", summary = "One support grant")
    public Uni<SupportGrantResponse> get(@PathParam("id") String id) {
        return grants.get(tenant.get(), PublicIds.parse("id", id)).map(SupportGrantResponse::of);
    }

    @POST
    @Path("{id}/approve")
    @ApiContract(problems = ProblemType.SUPPORT_GRANT_NOT_PENDING)
    @Operation(operationId = "approveSupportGrant", summary = "Start a pending grant now, for its duration; 409 if it is not pending")
    public Uni<SupportGrantResponse> approve(@PathParam("id") String id) {
        return grants.decide(tenant.get(), Decide.APPROVE, PublicIds.parse("id", id)).map(SupportGrantResponse::of);
    }

    @POST
    @Path("{id}/deny")
    @ApiContract(problems = ProblemType.SUPPORT_GRANT_NOT_PENDING)
    @Operation(operationId = "denySupportGrant", summary = "Refuse a pending grant; 409 if it is not pending")
    public Uni<SupportGrantResponse> deny(@PathParam("id") String id) {
        return grants.decide(tenant.get(), Decide.DENY, PublicIds.parse("id", id)).map(SupportGrantResponse::of);
    }

    @POST
    @Path("{id}/revoke")
    @Operation(operationId = "revokeSupportGrant",
            summary = "End a pending or running grant now (a grant already over is returned as it is)")
    public Uni<SupportGrantResponse> revoke(@PathParam("id") String id) {
        return grants.decide(tenant.get(), Decide.REVOKE, PublicIds.parse("id", id)).map(SupportGrantResponse::of);
    }
}
