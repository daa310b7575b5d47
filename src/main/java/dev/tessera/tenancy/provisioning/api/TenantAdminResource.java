package dev.tessera.tenancy.provisioning;

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
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tessera.security.Roles;
import dev.tessera.shared.error.InvalidInput;
import dev.tessera.shared.id.PublicIds;
import dev.tessera.shared.paging.Page;
import dev.tessera.shared.paging.PageRequest;
import dev.tessera.shared.paging.QueryParams;
import dev.tessera.tenancy.IsolationMode;
import dev.tessera.tenancy.TenantEntity;
import dev.tessera.tenancy.TenantState;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/** {@code /admin/tenants}: provisioning and lifecycle of tenants, for platform administrators only. */
@Path("/admin/tenants")
@Tag(name = "Platform administration")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.PLATFORM_ADMIN)
public class TenantAdminResource {

    private final TenantProvisioning provisioning;
    private final TenantOffboarding offboarding;
    private final TenantKeyStatus keyStatus;
    private final TenantSchemas schemas;
    private final SchemaRegistry registry;
    private final SecurityIdentity identity;
    private final Vertx vertx;

    TenantAdminResource(TenantProvisioning provisioning, TenantOffboarding offboarding, TenantKeyStatus keyStatus,
            TenantSchemas schemas, SchemaRegistry registry, SecurityIdentity identity, Vertx vertx) {
        this.provisioning = provisioning;
        this.offboarding = offboarding;
        this.keyStatus = keyStatus;
        this.schemas = schemas;
        this.registry = registry;
        this.identity = identity;
        this.vertx = vertx;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Provision a tenant (201), optionally with its own identity provider; SCHEMA tenants get their"
            + " own migrated schema first; 409 slug-taken, issuer-taken")
    public Uni<Response> create(@Valid @NotNull TenantAdminRequests.CreateTenant request) {
        return provisioning.create(request, actor())
                .map(t -> Response.created(URI.create("/admin/tenants/" + t.id)).entity(TenantAdminView.of(t, null, null)).build());
    }

    @GET
    @Operation(summary = "List tenants, keyset-paginated (limit, cursor), optionally by state")
    public Uni<Page<TenantAdminView>> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor,
            @QueryParam("state") String state) {
        PageRequest page = PageRequest.of(QueryParams.integer("limit", limit), cursor);
        TenantState filter = parseState(state);
        // Conditions are added only when present: a null bind parameter has no type for PostgreSQL.
        String hql = "from TenantEntity where 1 = 1" + (page.after() == null ? "" : " and id > :after")
                + (filter == null ? "" : " and state = :state") + " order by id";
        var params = new java.util.HashMap<String, Object>();
        if (page.after() != null) {
            params.put("after", page.after());
        }
        if (filter != null) {
            params.put("state", filter);
        }
        return Panache.withSession(() -> {
            // range is inclusive: limit + 1 rows tell whether there is a next page.
            return TenantEntity.<TenantEntity>find(hql, params).range(0, page.limit()).list();
        }).map(rows -> page.page(rows, t -> t.id).map(t -> TenantAdminView.of(t, null, null)));
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One tenant with its key versions and rotation progress; for SCHEMA tenants with the migration state of its schema")
    public Uni<TenantAdminView> get(@PathParam("id") String id) {
        return provisioning.find(PublicIds.parse("id", id)).flatMap(t -> keyStatus.of(t.toTenant())
                .flatMap(keys -> t.isolation != IsolationMode.SCHEMA
                        ? Uni.createFrom().item(TenantAdminView.of(t, null, keys))
                        : vertx.executeBlocking(Uni.createFrom().item(() -> schemaOf(t)))
                                .map(s -> TenantAdminView.of(t, s, keys))));
    }

    @PATCH
    @Path("{id}")
    @Consumes({ MediaType.APPLICATION_JSON, "application/merge-patch+json" })
    @Operation(summary = "Change a tenant's name, plan, legal hold or own identity provider (slug and isolation never"
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
    @Operation(summary = "Suspend a tenant: its tokens get 403 within the tenant cache TTL; idempotent")
    public Uni<TenantAdminView> suspend(@PathParam("id") String id) {
        return provisioning.suspend(PublicIds.parse("id", id), actor()).map(t -> TenantAdminView.of(t, null, null));
    }

    @POST
    @Path("{id}/activate")
    @Operation(summary = "Reactivate a suspended tenant, or retry the provisioning of one stuck in PROVISIONING; idempotent")
    public Uni<TenantAdminView> activate(@PathParam("id") String id) {
        return provisioning.activate(PublicIds.parse("id", id), actor()).map(t -> TenantAdminView.of(t, null, null));
    }

    @POST
    @Path("{id}/offboard")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Offboard a tenant (202): not served any more; its keys are destroyed when the export window "
            + "ends (crypto-shredding); idempotent, 200 once offboarded")
    public Uni<Response> offboard(@PathParam("id") String id, @Valid TenantAdminRequests.Offboard request) {
        java.util.UUID tenant = PublicIds.parse("id", id);
        java.time.Duration window = offboarding.exportWindow(request == null ? null : request.exportWindow());
        return offboarding.offboard(tenant, window, actor()).map(t -> Response
                .status(t.state == TenantState.OFFBOARDED ? Response.Status.OK : Response.Status.ACCEPTED)
                .entity(TenantAdminView.of(t, null, null)).build());
    }

    private TenantAdminView.Schema schemaOf(TenantEntity t) {
        String status = registry.statusOf(t.schemaName).map(s -> s.state().name()).orElse("CURRENT");
        try {
            return new TenantAdminView.Schema(t.schemaName, schemas.versionOf(t.schemaName), schemas.latestVersion(),
                    status);
        } catch (RuntimeException e) {
            return new TenantAdminView.Schema(t.schemaName, null, null, "UNREADABLE");
        }
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
