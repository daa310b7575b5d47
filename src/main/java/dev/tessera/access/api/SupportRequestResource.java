package dev.tessera.access.api;

import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tessera.access.SupportGrants;
import dev.tessera.security.Roles;
import dev.tessera.shared.error.InvalidInput;
import dev.tessera.shared.error.ProblemType;
import dev.tessera.shared.id.PublicIds;
import dev.tessera.shared.openapi.ApiContract;
import dev.tessera.tenancy.SupportGrantIdentity;
import io.smallrye.mutiny.Uni;

/**
 * {@code /admin/support-grants}: a platform support user asks for access to one tenant, and follows its
 * own grants. Acting under a running grant: any {@code /api/**} request with header
 * {@code Support-Grant: <id>}.
 */
@Path("/admin/support-grants")
@Tag(name = "Support access")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.PLATFORM_SUPPORT)
public class SupportRequestResource {

    private final SupportGrants grants;
    private final JsonWebToken token;

    SupportRequestResource(SupportGrants grants, JsonWebToken token) {
        this.grants = grants;
        this.token = token;
    }

    /** Body of {@code POST /admin/support-grants}. */
    public record RequestGrant(@NotNull UUID tenantId,
            @NotBlank @Size(max = 500) @Pattern(regexp = "(?s)[^\\x00]*", message = "must not contain the NUL character") String reason,
            @Schema(description = "read-only (default) or read-write") String access,
            @Schema(description = "Read PII in clear (pii-reader); default false") Boolean pii,
            @Schema(description = "ISO 8601 duration, at most tessera.support.max-duration (PT4H); default PT1H", example = "PT2H")
            @Size(max = 40) String duration) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiContract(problems = { ProblemType.INVALID_PARAMETER, ProblemType.NOT_FOUND, ProblemType.TENANT_STATE_CONFLICT })
    @APIResponse(responseCode = "201", description = "The grant: RUNNING at once, or PENDING if the tenant approves support access",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SupportGrantResponse.class)))
    @Operation(operationId = "requestSupportGrant",
            summary = "Ask for access to one tenant with a reason, a scope and a duration (platform-support); recorded in the platform audit")
    public Uni<Response> request(@Valid @NotNull RequestGrant request) {
        Duration duration = null;
        if (request.duration() != null) {
            try {
                duration = Duration.parse(request.duration());
            } catch (DateTimeParseException e) {
                throw new InvalidInput("duration", "must be an ISO 8601 duration such as PT2H");
            }
        }
        return grants.request(user(), request.tenantId(), request.reason().strip(), request.access(),
                Boolean.TRUE.equals(request.pii()), duration)
                .map(g -> Response.created(URI.create("/admin/support-grants/" + g.id())).entity(SupportGrantResponse.of(g)).build());
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getOwnSupportGrant", summary = "One of your own support grants (404 for anyone else's)")
    public Uni<SupportGrantResponse> get(@PathParam("id") String id) {
        return grants.ofUser(user(), PublicIds.parse("id", id)).map(SupportGrantResponse::of);
    }

    private String user() {
        return SupportGrantIdentity.supportUser(token);
    }
}
