package dev.tessera.portability.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

import dev.tessera.portability.TenantExport;
import dev.tessera.portability.TenantImport;
import dev.tessera.security.Roles;
import dev.tessera.shared.error.ProblemType;
import dev.tessera.shared.id.PublicIds;
import dev.tessera.shared.openapi.ApiContract;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/** {@code /admin/tenants/{id}/export} and {@code /import}: a tenant's data as NDJSON, out and back in. */
@Path("/admin/tenants/{id}")
@Tag(name = "Platform administration")
@RolesAllowed(Roles.PLATFORM_ADMIN)
public class TenantPortabilityResource {

    /** Media type of the export and the import body: one JSON object per line. */
    public static final String NDJSON = "application/x-ndjson";

    private final TenantExport export;
    private final TenantImport importer;
    private final SecurityIdentity identity;

    TenantPortabilityResource(TenantExport export, TenantImport importer, SecurityIdentity identity) {
        this.export = export;
        this.importer = importer;
        this.identity = identity;
    }

    @GET
    @Path("export")
    @Produces(NDJSON)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @ApiContract(problems = { ProblemType.TENANT_STATE_CONFLICT, ProblemType.TENANT_KEYS_MISSING })
    @APIResponse(responseCode = "200", description = "NDJSON: one JSON object per line, each with its kind (header, "
            + "product, customer, orderEvent, audit, end); see docs/api.md, Export and import format",
            content = @Content(mediaType = NDJSON, schema = @Schema(type = SchemaType.OBJECT, description = "One line",
                    requiredProperties = "kind", properties = @SchemaProperty(name = "kind", type = SchemaType.STRING,
                            enumeration = { "header", "product", "customer", "orderEvent", "audit", "end" }))))
    @Operation(operationId = "exportTenant",
            summary = "Stream all of the tenant's data (customers' PII in clear) as NDJSON from one snapshot; audited")
    public Multi<JsonObject> export(@PathParam("id") String id) {
        return export.export(PublicIds.parse("id", id), identity.getPrincipal().getName());
    }

    @POST
    @Path("import")
    @Consumes(NDJSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ApiContract(problems = { ProblemType.TENANT_STATE_CONFLICT, ProblemType.TENANT_NOT_EMPTY, ProblemType.INVALID_IMPORT })
    @Operation(operationId = "importTenant",
            summary = "Restore an export into this active, empty tenant, all or nothing; 409 tenant-not-empty, 400 invalid-import")
    public Uni<TenantImport.Report> importData(@PathParam("id") String id, String body) {
        return importer.importInto(PublicIds.parse("id", id), body, identity.getPrincipal().getName());
    }
}
