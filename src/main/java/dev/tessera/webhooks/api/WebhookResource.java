package dev.tessera.webhooks.api;

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

import dev.tessera.security.Roles;
import dev.tessera.shared.error.InvalidInput;
import dev.tessera.shared.id.PublicIds;
import dev.tessera.shared.paging.Page;
import dev.tessera.shared.paging.PageRequest;
import dev.tessera.shared.paging.QueryParams;
import dev.tessera.tenancy.CurrentTenant;
import dev.tessera.tenancy.TenantScoped;
import dev.tessera.webhooks.WebhookService;
import io.smallrye.mutiny.Uni;

/** {@code /api/webhooks}: the tenant's webhook endpoints, their signing secrets and delivery log, for tenant-admin. */
@Path("/api/webhooks")
@TenantScoped
@Tag(name = "Webhooks")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.TENANT_ADMIN)
public class WebhookResource {

    private final WebhookService webhooks;
    private final CurrentTenant tenant;

    WebhookResource(WebhookService webhooks, CurrentTenant tenant) {
        this.webhooks = webhooks;
        this.tenant = tenant;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "201", description = "The new endpoint, with its signing secret (shown only now)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EndpointResponse.class)))
    @Operation(operationId = "createWebhook",
            summary = "Register an endpoint (201, Location); the answer carries its signing secret, never shown again")
    public Uni<Response> create(@Valid @NotNull WebhookRequests.CreateEndpoint request) {
        return webhooks.register(tenant.get(), request.url().strip(), request.types(), !Boolean.FALSE.equals(request.enabled()))
                .map(w -> Response.created(URI.create("/api/webhooks/" + w.endpoint().id())).entity(EndpointResponse.of(w)).build());
    }

    @GET
    @Operation(operationId = "listWebhooks", summary = "The tenant's endpoints, keyset-paginated by limit and cursor")
    public Uni<Page<EndpointResponse>> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return webhooks.list(tenant.get(), PageRequest.of(QueryParams.integer("limit", limit), cursor))
                .map(page -> page.map(EndpointResponse::of));
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getWebhook", summary = "One endpoint (without its secret)")
    public Uni<EndpointResponse> get(@PathParam("id") String id) {
        return webhooks.get(tenant.get(), PublicIds.parse("id", id)).map(EndpointResponse::of);
    }

    @PATCH
    @Path("{id}")
    @Consumes({ MediaType.APPLICATION_JSON, "application/merge-patch+json" })
    @Operation(operationId = "updateWebhook",
            summary = "Change url, eventTypes or enabled; enabling clears the reason the service disabled it for")
    public Uni<EndpointResponse> update(@PathParam("id") String id, @Valid @NotNull WebhookRequests.UpdateEndpoint request) {
        if (request.isEmpty()) {
            throw new InvalidInput("body", "must change at least one field");
        }
        return webhooks.update(tenant.get(), PublicIds.parse("id", id), request.url() == null ? null : request.url().strip(),
                request.types(), request.enabled()).map(EndpointResponse::of);
    }

    @DELETE
    @Path("{id}")
    @APIResponse(responseCode = "204", description = "Deleted, with its deliveries and their log")
    @Operation(operationId = "deleteWebhook", summary = "Delete an endpoint with its deliveries and their log (204)")
    public Uni<Response> delete(@PathParam("id") String id) {
        return webhooks.delete(tenant.get(), PublicIds.parse("id", id)).replaceWith(Response.noContent().build());
    }

    @POST
    @Path("{id}/rotate-secret")
    @Operation(operationId = "rotateWebhookSecret",
            summary = "A new signing secret (shown only now); the old one keeps signing for the grace period")
    public Uni<EndpointResponse> rotate(@PathParam("id") String id) {
        return webhooks.rotate(tenant.get(), PublicIds.parse("id", id)).map(EndpointResponse::of);
    }

    @GET
    @Path("{id}/deliveries")
    @Operation(operationId = "listWebhookDeliveries", summary = "The endpoint's deliveries, newest first; keyset by limit and cursor")
    public Uni<Page<DeliveryResponse>> deliveries(@PathParam("id") String id, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        return webhooks.deliveries(tenant.get(), PublicIds.parse("id", id), PageRequest.of(QueryParams.integer("limit", limit), cursor))
                .map(page -> page.map(DeliveryResponse::of));
    }

    @GET
    @Path("{id}/deliveries/{deliveryId}")
    @Operation(operationId = "getWebhookDelivery",
            summary = "One delivery with every attempt: time, status code, latency, error")
    public Uni<DeliveryResponse> delivery(@PathParam("id") String id, @PathParam("deliveryId") String deliveryId) {
        return webhooks.delivery(tenant.get(), PublicIds.parse("id", id), PublicIds.parse("deliveryId", deliveryId))
                .map(DeliveryResponse::of);
    }

    @POST
    @Path("{id}/deliveries/{deliveryId}/replay")
    @APIResponse(responseCode = "202", description = "The new delivery of the same message, due now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DeliveryResponse.class)))
    @Operation(operationId = "replayWebhookDelivery",
            summary = "Send a delivery's message again (202): a new delivery with the same webhook-id, due now")
    public Uni<Response> replay(@PathParam("id") String id, @PathParam("deliveryId") String deliveryId) {
        return webhooks.replay(tenant.get(), PublicIds.parse("id", id), PublicIds.parse("deliveryId", deliveryId))
                .map(d -> Response.accepted(DeliveryResponse.of(d)).build());
    }

    @POST
    @Path("{id}/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "202", description = "How many deliveries were created again",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Replayed.class)))
    @Operation(operationId = "replayWebhookRange",
            summary = "Send again every event first delivered to the endpoint in [from, to) (202), at most "
                    + WebhookService.MAX_REPLAY)
    public Uni<Response> replayRange(@PathParam("id") String id, @Valid @NotNull WebhookRequests.ReplayRange request) {
        if (!request.from().isBefore(request.to())) {
            throw new InvalidInput("to", "must be after from");
        }
        return webhooks.replayRange(tenant.get(), PublicIds.parse("id", id), request.from(), request.to())
                .map(n -> Response.accepted(new Replayed(n)).build());
    }

    /** Answer of a range replay. */
    public record Replayed(int replayed) {
    }
}
