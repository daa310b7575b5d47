package dev.tessera.tenancy.provisioning.api;

import java.net.URI;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tessera.security.Roles;
import dev.tessera.shared.error.InvalidInput;
import dev.tessera.shared.error.ProblemType;
import dev.tessera.shared.id.PublicIds;
import dev.tessera.shared.openapi.ApiContract;
import dev.tessera.shared.paging.Page;
import dev.tessera.shared.paging.PageRequest;
import dev.tessera.shared.paging.QueryParams;
import dev.tessera.tenancy.TenantState;
import dev.tessera.tenancy.provisioning.TenantAdminQueries;
import dev.tessera.tenancy.provisioning.TenantAdminRequests;
import dev.tessera.tenancy.provisioning.TenantAdminView;
import dev.tessera.tenancy.provisioning.TenantOffboarding;
import dev.tessera.tenancy.provisioning.TenantProvisioning;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** {@code /admin/tenants}: provisioning and lifecycle of tenants, for platform administrators only. */
@Path("/admin/tenants")
@Tag(name = "Platform administration")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.PLATFORM_ADMIN)
public class TenantAdminResource {

    private final TenantProvisioning provisioning;
    private final TenantOffboarding offboarding;
    private final TenantAdminQueries queries;
    private final SecurityIdentity identity;

    TenantAdminResource(TenantProvisioning provisioning, TenantOffboarding offboarding, TenantAdminQueries queries,
            SecurityIdentity identity) {
        this.provisioning = provisioning;
        this.offboarding = offboarding;
        this.queries = queries;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiContract(problems = { ProblemType.SLUG_TAKEN, ProblemType.ISSUER_TAKEN, ProblemType.PROVISIONING_FAILED })
    @APIResponse(responseCode = "201", description = "The new tenant",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TenantAdminView.class)))
    @Operation(operationId = "createTenant",
            summary = "Provision a tenant (201), optionally with its own identity provider; SCHEMA tenants get their"
            + " own migrated schema first; 409 slug-taken, issuer-taken")
    public Uni<Response> create(@Valid @NotNull TenantAdminRequests.CreateTenant request) {
        return provisioning.create(request, actor())
                .map(t -> Response.created(URI.create("/admin/tenants/" + t.id)).entity(TenantAdminView.of(t, null, null)).build());
    }

    @GET
    @Operation(operationId = "listTenants",
            summary = "List tenants, keyset-paginated (limit, cursor), optionally by state")
    public Uni<Page<TenantAdminView>> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor,
            @QueryParam("state") String state) {
        PageRequest page = PageRequest.of(QueryParams.integer("limit", limit), cursor);
        TenantState filter = parseState(state);
        return queries.list(page, filter).map(p -> p.map(t -> TenantAdminView.of(t, null, null)));
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "describeTenant",
            summary = "One tenant with its key versions and rotation progress; for SCHEMA tenants with the migration state of its schema")
    public Uni<TenantAdminView> get(@PathParam("id") String id) {
        return queries.describe(PublicIds.parse("id", id));
    }

    @PATCH
    @Path("{id}")
    @Consumes({ MediaType.APPLICATION_JSON, "application/merge-patch+json" })
    @ApiContract(problems = { ProblemType.ISSUER_TAKEN, ProblemType.TENANT_STATE_CONFLICT })
    @Operation(operationId = "updateTenant",
            summary = "Change a tenant's name, plan, legal hold or own identity provider (slug and isolation never"
            + " change); 409 issuer-taken")
    public Uni<TenantAdminView> update(@PathParam("id") String id, @Valid @NotNull TenantAdminRequests.UpdateTenant request) {
        if (request.name() == null && request.plan() == null && request.legalHold() == null
                && !request.changesIdentityProvider()) {
            throw new InvalidInput("body", "must change name, plan, legalHold or the identity provider (oidc*)");
        }
        return provisioning.update(PublicIds.parse("id", id), request, actor()).map(t -> TenantAdminView.of(t, null, null));
    }

    @POST
    @Path("{id}/suspend")
    @ApiContract(problems = ProblemType.TENANT_STATE_CONFLICT)
    @Operation(operationId = "suspendTenant",
            summary = "Suspend a tenant: its tokens get 403 within the tenant cache TTL; idempotent")
    public Uni<TenantAdminView> suspend(@PathParam("id") String id) {
        return provisioning.suspend(PublicIds.parse("id", id), actor()).map(t -> TenantAdminView.of(t, null, null));
    }

    @POST
    @Path("{id}/activate")
    @ApiContract(problems = { ProblemType.TENANT_STATE_CONFLICT, ProblemType.PROVISIONING_FAILED })
    @Operation(operationId = "activateTenant",
            summary = "Reactivate a suspended tenant, or retry the provisioning of one stuck in PROVISIONING; idempotent")
    public Uni<TenantAdminView> activate(@PathParam("id") String id) {
        return provisioning.activate(PublicIds.parse("id", id), actor()).map(t -> TenantAdminView.of(t, null, null));
    }

    @POST
    @Path("{id}/offboard")
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiContract(problems = ProblemType.TENANT_STATE_CONFLICT)
    @APIResponse(responseCode = "200", description = "Offboarded already: its keys are destroyed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TenantAdminView.class)))
    @APIResponse(responseCode = "202", description = "Offboarding: its keys are destroyed when the export window ends",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TenantAdminView.class)))
    @Operation(operationId = "offboardTenant",
            summary = "Offboard a tenant (202): not served any more; its keys are destroyed when the export window "
            + "ends (crypto-shredding); idempotent, 200 once offboarded")
    public Uni<Response> offboard(@PathParam("id") String id, @Valid TenantAdminRequests.Offboard request) {
        java.util.UUID tenant = PublicIds.parse("id", id);
        java.time.Duration window = offboarding.exportWindow(request == null ? null : request.exportWindow());
        return offboarding.offboard(tenant, window, actor()).map(t -> Response
                .status(t.state == TenantState.OFFBOARDED ? Response.Status.OK : Response.Status.ACCEPTED)
                .entity(TenantAdminView.of(t, null, null)).build());
    }

    private String actor() {
        return identity.getPrincipal().getName();
    }

    private static TenantState parseState(String state) {
        if (state == null || state.isEmpty()) {
            return null;
        }
        try {
            return TenantState.valueOf(state);
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("state", "must be one of " + List.of(TenantState.values()));
        }
    }

}
