package dev.tessera.customers.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tessera.customers.KeyRotation;
import dev.tessera.security.Roles;
import dev.tessera.shared.error.NotFound;
import dev.tessera.shared.error.ProblemType;
import dev.tessera.shared.id.PublicIds;
import dev.tessera.shared.openapi.ApiContract;
import dev.tessera.tenancy.TenantDirectory;
import io.smallrye.mutiny.Uni;

/** {@code /admin/tenants/{id}/keys}: rotation of a tenant's data key, for platform administrators. */
@Path("/admin/tenants/{id}/keys")
@Tag(name = "Platform administration")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.PLATFORM_ADMIN)
public class KeyRotationResource {

    private final KeyRotation rotation;
    private final TenantDirectory directory;

    KeyRotationResource(KeyRotation rotation, TenantDirectory directory) {
        this.rotation = rotation;
        this.directory = directory;
    }

    @POST
    @Path("rotate")
    @ApiContract(problems = { ProblemType.CONFLICT, ProblemType.TENANT_STATE_CONFLICT })
    @APIResponse(responseCode = "202", description = "Started: the new key version is current, rows are re-encrypted in the background",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = KeyRotation.Progress.class)))
    @Operation(operationId = "rotateTenantKeys",
            summary = "Start a key rotation (202): a new version is current at once, rows are re-encrypted in the background")
    public Uni<Response> rotate(@PathParam("id") String id) {
        return directory.byClaim(PublicIds.parse("id", id).toString())
                .map(t -> t.orElseThrow(() -> new NotFound("Tenant")))
                .flatMap(rotation::start)
                .map(p -> Response.accepted(p).build());
    }

    @GET
    @io.smallrye.common.annotation.NonBlocking
    @Operation(operationId = "getKeyRotation",
            summary = "Progress of the tenant's last key rotation on this instance (404 if none)")
    public KeyRotation.Progress progress(@PathParam("id") String id) {
        KeyRotation.Progress p = rotation.progressOf(PublicIds.parse("id", id));
        if (p == null) {
            throw new NotFound("Key rotation");
        }
        return p;
    }
}
