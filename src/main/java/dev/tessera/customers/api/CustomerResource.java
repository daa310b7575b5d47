package dev.tessera.customers.api;

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

import dev.tessera.customers.CustomerService;
import dev.tessera.security.Roles;
import dev.tessera.shared.error.Forbidden;
import dev.tessera.shared.error.InvalidInput;
import dev.tessera.shared.error.ProblemType;
import dev.tessera.shared.id.PublicIds;
import dev.tessera.shared.openapi.ApiContract;
import dev.tessera.shared.paging.Page;
import dev.tessera.shared.paging.PageRequest;
import dev.tessera.shared.paging.QueryParams;
import dev.tessera.tenancy.CurrentTenant;
import dev.tessera.tenancy.TenantContext;
import dev.tessera.tenancy.TenantScoped;
import io.smallrye.mutiny.Uni;

/** {@code /api/customers}: the tenant's customers, PII encrypted at rest and masked by role. */
@Path("/api/customers")
@TenantScoped
@Tag(name = "Customers")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.TENANT_MEMBER, Roles.TENANT_ADMIN })
public class CustomerResource {

    /** Role that may read PII in clear without being tenant-admin. */
    public static final String PII_READER = Roles.PII_READER;

    private final CustomerService customers;
    private final CurrentTenant tenant;

    CustomerResource(CustomerService customers, CurrentTenant tenant) {
        this.customers = customers;
        this.tenant = tenant;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiContract(problems = { ProblemType.EMAIL_TAKEN, ProblemType.TENANT_KEYS_MISSING, ProblemType.QUOTA_EXCEEDED })
    @APIResponse(responseCode = "201", description = "The new customer",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CustomerResponse.class)))
    @Operation(operationId = "createCustomer",
            summary = "Create a customer (201); 409 email-taken if a live customer has the email")
    public Uni<Response> create(@Valid @NotNull CustomerRequests.CreateCustomer request) {
        TenantContext t = tenant.get();
        return customers.create(t, request.toDraft()).map(c -> Response.created(URI.create("/api/customers/" + c.id()))
                .entity(CustomerResponse.of(c, clear(t))).build());
    }

    @GET
    @ApiContract(problems = ProblemType.TENANT_KEYS_MISSING)
    @Operation(operationId = "listCustomers",
            summary = "List customers (keyset: limit, cursor); email= finds one by exact email, case-insensitive (tenant-admin or pii-reader; 403 otherwise)")
    public Uni<Page<CustomerResponse>> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor,
            @QueryParam("email") String email, @QueryParam("include") String include) {
        TenantContext t = tenant.get();
        String byEmail = QueryParams.text("email", email, 254);
        if (byEmail != null && !clear(t)) {
            // The blind index answers "is this address a customer?": that is reading PII, so only those who
            // may read it in clear may ask (a member sees masked addresses, and must not learn them by guessing).
            throw new Forbidden(ProblemType.FORBIDDEN, "Searching by email needs a role that may read PII (tenant-admin or pii-reader)");
        }
        PageRequest page = PageRequest.of(QueryParams.integer("limit", limit), cursor);
        return customers.list(t, page, byEmail, QueryParams.includes(include, "deleted"))
                .map(p -> p.map(c -> CustomerResponse.of(c, clear(t))));
    }

    @GET
    @Path("{id}")
    @ApiContract(problems = ProblemType.TENANT_KEYS_MISSING)
    @Operation(operationId = "getCustomer",
            summary = "One customer; PII in clear for tenant-admin and pii-reader, masked otherwise")
    public Uni<CustomerResponse> get(@PathParam("id") String id, @QueryParam("include") String include) {
        TenantContext t = tenant.get();
        return customers.get(t, PublicIds.parse("id", id), QueryParams.includes(include, "deleted"))
                .map(c -> CustomerResponse.of(c, clear(t)));
    }

    @PATCH
    @Path("{id}")
    @Consumes({ MediaType.APPLICATION_JSON, "application/merge-patch+json" })
    @ApiContract(problems = { ProblemType.EMAIL_TAKEN, ProblemType.TENANT_KEYS_MISSING })
    @Operation(operationId = "updateCustomer", summary = "Change some fields of a live customer; 409 email-taken")
    public Uni<CustomerResponse> update(@PathParam("id") String id,
            @Valid @NotNull CustomerRequests.UpdateCustomer request) {
        if (request.isEmpty()) {
            throw new InvalidInput("body", "must change at least one field");
        }
        TenantContext t = tenant.get();
        return customers.update(t, PublicIds.parse("id", id), request.toDraft()).map(c -> CustomerResponse.of(c, clear(t)));
    }

    @DELETE
    @Path("{id}")
    @APIResponse(responseCode = "204", description = "Deleted")
    @Operation(operationId = "deleteCustomer", summary = "Soft-delete a customer (204)")
    public Uni<Response> delete(@PathParam("id") String id) {
        return customers.delete(tenant.get(), PublicIds.parse("id", id)).replaceWith(Response.noContent().build());
    }

    @POST
    @Path("{id}/restore")
    @RolesAllowed(Roles.TENANT_ADMIN)
    @ApiContract(problems = { ProblemType.EMAIL_TAKEN, ProblemType.TENANT_KEYS_MISSING, ProblemType.QUOTA_EXCEEDED })
    @Operation(operationId = "restoreCustomer",
            summary = "Restore a soft-deleted customer (tenant-admin); 409 email-taken")
    public Uni<CustomerResponse> restore(@PathParam("id") String id) {
        TenantContext t = tenant.get();
        return customers.restore(t, PublicIds.parse("id", id)).map(c -> CustomerResponse.of(c, clear(t)));
    }

    @POST
    @Path("{id}/erase")
    @RolesAllowed(Roles.TENANT_ADMIN)
    @APIResponse(responseCode = "204", description = "Erased (or erased already)")
    @Operation(operationId = "eraseCustomer",
            summary = "Erase the customer's PII for good (GDPR, tenant-admin); 204; idempotent")
    public Uni<Response> erase(@PathParam("id") String id) {
        return customers.erase(tenant.get(), PublicIds.parse("id", id)).replaceWith(Response.noContent().build());
    }

    private static boolean clear(TenantContext t) {
        return t.hasRole(Roles.TENANT_ADMIN) || t.hasRole(PII_READER);
    }
}
