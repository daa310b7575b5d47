package dev.tessera.access.api;

import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
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

import dev.tessera.access.ApiKeys;
import dev.tessera.security.Roles;
import dev.tessera.shared.error.InvalidInput;
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
 * {@code /api/keys}: the tenant's API keys for its machine clients (tenant-admin). A key acts for the
 * tenant with the roles it was given; keys are managed with a person's token, never with a key.
 */
@Path("/api/keys")
@TenantScoped
@Tag(name = "API keys")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.TENANT_ADMIN)
public class ApiKeyResource {

    static final Duration DEFAULT_GRACE = Duration.ofHours(1);

    private final ApiKeys keys;
    private final CurrentTenant tenant;

    ApiKeyResource(ApiKeys keys, CurrentTenant tenant) {
        this.keys = keys;
        this.tenant = tenant;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiContract(problems = ProblemType.INVALID_PARAMETER)
    @APIResponse(responseCode = "201", description = "The new key; its secret (key) is shown in this answer only",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiKeyResponse.class)))
    @Operation(operationId = "createApiKey",
            summary = "Create an API key with some of your tenant roles (201, Location); the key is shown once")
    public Uni<Response> create(@Valid @NotNull ApiKeyRequests.CreateKey request) {
        return keys.create(tenant.get(), request.name().strip(), request.roles(), request.expiresAt())
                .map(created -> Response.created(URI.create("/api/keys/" + created.key().id()))
                        .entity(ApiKeyResponse.of(created)).build());
    }

    @GET
    @Operation(operationId = "listApiKeys",
            summary = "List the tenant's API keys, revoked ones too (keyset: limit, cursor); never their secrets")
    public Uni<Page<ApiKeyResponse>> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return keys.list(tenant.get(), PageRequest.of(QueryParams.integer("limit", limit), cursor))
                .map(page -> page.map(ApiKeyResponse::of));
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getApiKey", summary = "One API key, with when it was last used; never its secret")
    public Uni<ApiKeyResponse> get(@PathParam("id") String id) {
        return keys.get(tenant.get(), PublicIds.parse("id", id)).map(ApiKeyResponse::of);
    }

    @DELETE
    @Path("{id}")
    @APIResponse(responseCode = "204", description = "Revoked: refused on this replica at once, on every replica within tessera.api-keys.cache-ttl")
    @Operation(operationId = "revokeApiKey", summary = "Revoke an API key (204; again: 204); it never works again")
    public Uni<Response> revoke(@PathParam("id") String id) {
        return keys.revoke(tenant.get(), PublicIds.parse("id", id)).replaceWith(Response.noContent().build());
    }

    @POST
    @Path("{id}/rotate")
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiContract(problems = { ProblemType.API_KEY_INACTIVE, ProblemType.INVALID_PARAMETER })
    @Operation(operationId = "rotateApiKey",
            summary = "A new secret for the key, shown once; the previous one works for gracePeriod (default PT1H)")
    public Uni<ApiKeyResponse> rotate(@PathParam("id") String id, @Valid ApiKeyRequests.RotateKey request) {
        Duration grace = DEFAULT_GRACE;
        if (request != null && request.gracePeriod() != null) {
            try {
                grace = Duration.parse(request.gracePeriod());
            } catch (DateTimeParseException e) {
                throw new InvalidInput("gracePeriod", "must be an ISO 8601 duration such as PT24H");
            }
        }
        return keys.rotate(tenant.get(), PublicIds.parse("id", id), grace).map(ApiKeyResponse::of);
    }
}
