package dev.tessera.catalog.api;

import java.net.URI;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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

import dev.tessera.catalog.CatalogService;
import dev.tessera.catalog.domain.ProductChanges;
import dev.tessera.catalog.domain.ProductQuery;
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

/** {@code /api/products}: the tenant's catalog, with soft delete and restore. */
@Path("/api/products")
@TenantScoped
@Tag(name = "Products")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.TENANT_MEMBER, Roles.TENANT_ADMIN })
public class ProductResource {

    private final CatalogService catalog;
    private final CurrentTenant tenant;

    ProductResource(CatalogService catalog, CurrentTenant tenant) {
        this.catalog = catalog;
        this.tenant = tenant;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiContract(problems = { ProblemType.SKU_TAKEN, ProblemType.QUOTA_EXCEEDED })
    @APIResponse(responseCode = "201", description = "The new product",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ProductResponse.class)))
    @Operation(operationId = "createProduct",
            summary = "Create a product (201, Location header); 409 sku-taken if a live product has the SKU")
    public Uni<Response> create(@Valid @NotNull ProductRequests.CreateProduct request) {
        return catalog.create(tenant.get(), request.toDraft())
                .map(p -> Response.created(URI.create("/api/products/" + p.id())).entity(ProductResponse.of(p)).build());
    }

    @GET
    @Operation(operationId = "listProducts",
            summary = "List products, keyset-paginated by limit and cursor; q filters by name; include=deleted for tenant-admin")
    public Uni<Page<ProductResponse>> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor,
            @QueryParam("q") String q, @QueryParam("include") String include) {
        ProductQuery query = new ProductQuery(PageRequest.of(QueryParams.integer("limit", limit), cursor),
                QueryParams.text("q", q, 200), QueryParams.includes(include, "deleted"));
        return catalog.list(tenant.get(), query).map(page -> page.map(ProductResponse::of));
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getProduct",
            summary = "One product; a deleted one only with include=deleted (tenant-admin)")
    public Uni<ProductResponse> get(@PathParam("id") String id, @QueryParam("include") String include) {
        return catalog.get(tenant.get(), PublicIds.parse("id", id), QueryParams.includes(include, "deleted"))
                .map(ProductResponse::of);
    }

    @PATCH
    @Path("{id}")
    @Consumes({ MediaType.APPLICATION_JSON, "application/merge-patch+json" })
    @ApiContract(problems = ProblemType.SKU_TAKEN)
    @Operation(operationId = "updateProduct",
            summary = "Change some fields of a live product; absent or null fields stay, \"\" clears the description")
    public Uni<ProductResponse> update(@PathParam("id") String id, @Valid @NotNull ProductRequests.UpdateProduct request) {
        ProductChanges changes = request.toChanges();
        if (changes.isEmpty()) {
            throw new InvalidInput("body", "must change at least one field");
        }
        return catalog.update(tenant.get(), PublicIds.parse("id", id), changes).map(ProductResponse::of);
    }

    @DELETE
    @Path("{id}")
    @APIResponse(responseCode = "204", description = "Deleted; it can be restored until the retention purge")
    @Operation(operationId = "deleteProduct",
            summary = "Soft-delete a product (204); it can be restored until the retention purge")
    public Uni<Response> delete(@PathParam("id") String id) {
        return catalog.delete(tenant.get(), PublicIds.parse("id", id)).replaceWith(Response.noContent().build());
    }

    @POST
    @Path("{id}/restore")
    @RolesAllowed(Roles.TENANT_ADMIN)
    @ApiContract(problems = { ProblemType.SKU_TAKEN, ProblemType.QUOTA_EXCEEDED })
    @Operation(operationId = "restoreProduct",
            summary = "Restore a soft-deleted product (tenant-admin); 409 sku-taken if a live product took its SKU")
    public Uni<ProductResponse> restore(@PathParam("id") String id) {
        return catalog.restore(tenant.get(), PublicIds.parse("id", id)).map(ProductResponse::of);
    }
}
