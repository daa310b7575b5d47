package dev.tessera.orders.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tessera.orders.projection.OrderProjectionRebuild;
import dev.tessera.security.Roles;
import dev.tessera.shared.error.InvalidInput;
import dev.tessera.shared.error.NotFound;
import dev.tessera.shared.id.PublicIds;
import dev.tessera.shared.paging.QueryParams;
import dev.tessera.tenancy.TenantDirectory;
import io.smallrye.mutiny.Uni;

/** {@code POST /admin/tenants/{id}/projections/orders/rebuild}: rebuild the orders read model from events. */
@Path("/admin/tenants/{id}/projections/orders/rebuild")
@Tag(name = "Platform administration")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.PLATFORM_ADMIN)
public class ProjectionAdminResource {

    private final OrderProjectionRebuild rebuild;
    private final TenantDirectory directory;

    ProjectionAdminResource(OrderProjectionRebuild rebuild, TenantDirectory directory) {
        this.rebuild = rebuild;
        this.directory = directory;
    }

    @POST
    @Operation(operationId = "rebuildOrderProjection",
            summary = "Rebuild rm_orders from es_order_events in batches; reports orders, events, mismatches found, time")
    public Uni<OrderProjectionRebuild.Report> rebuild(@PathParam("id") String id, @QueryParam("batchSize") String batch) {
        Integer b = QueryParams.integer("batchSize", batch);
        int size = b == null ? 100 : b;
        if (size < 1 || size > 1000) {
            throw new InvalidInput("batchSize", "must be between 1 and 1000");
        }
        return directory.byClaim(PublicIds.parse("id", id).toString())
                .map(t -> t.orElseThrow(() -> new NotFound("Tenant")))
                .flatMap(t -> rebuild.rebuild(t, size));
    }
}
