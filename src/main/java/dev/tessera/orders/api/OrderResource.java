package dev.tessera.orders.api;

import static dev.tessera.shared.error.ProblemType.CONCURRENT_MODIFICATION;
import static dev.tessera.shared.error.ProblemType.CURRENCY_MISMATCH;
import static dev.tessera.shared.error.ProblemType.ITEM_NOT_IN_ORDER;
import static dev.tessera.shared.error.ProblemType.ORDER_EMPTY;
import static dev.tessera.shared.error.ProblemType.ORDER_EXISTS;
import static dev.tessera.shared.error.ProblemType.ORDER_NOT_CANCELLABLE;
import static dev.tessera.shared.error.ProblemType.ORDER_NOT_DRAFT;
import static dev.tessera.shared.error.ProblemType.ORDER_NOT_EDITABLE;
import static dev.tessera.shared.error.ProblemType.ORDER_NOT_PAID;
import static dev.tessera.shared.error.ProblemType.ORDER_NOT_PLACED;
import static dev.tessera.shared.error.ProblemType.ORDER_NOT_SHIPPED;
import static dev.tessera.shared.error.ProblemType.UNKNOWN_PRODUCT;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tessera.orders.command.CommandOutcome;
import dev.tessera.orders.command.IdempotencyKeys;
import dev.tessera.orders.command.OrderCommands;
import dev.tessera.orders.domain.OrderCommand;
import dev.tessera.orders.domain.OrderStatus;
import dev.tessera.orders.query.OrderQueries;
import dev.tessera.security.Roles;
import dev.tessera.shared.error.InvalidInput;
import dev.tessera.shared.id.PublicIds;
import dev.tessera.shared.id.UuidV7;
import dev.tessera.shared.openapi.ApiContract;
import dev.tessera.shared.paging.Page;
import dev.tessera.shared.paging.PageRequest;
import dev.tessera.shared.paging.QueryParams;
import dev.tessera.tenancy.CurrentTenant;
import dev.tessera.tenancy.TenantScoped;
import io.smallrye.mutiny.Uni;

/**
 * {@code /api/orders}: event-sourced orders. Commands answer with the order and {@code ETag: "<version>"};
 * {@code If-Match} makes a command conditional (412 if the order moved on); {@code Idempotency-Key}
 * makes a POST safe to retry (the first response comes back; another body with the same key is 422).
 *
 * <p>Ids and query parameters are taken as text and parsed here, as in the other features: JAX-RS
 * would answer a malformed typed parameter with 404, and the client deserves a 400 naming it.
 */
@Path("/api/orders")
@TenantScoped
@Tag(name = "Orders")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.TENANT_MEMBER, Roles.TENANT_ADMIN })
public class OrderResource {

    private static final Pattern ETAG = Pattern.compile("(?:W/)?\"?(\\d{1,9})\"?");

    private final OrderCommands commands;
    private final OrderQueries queries;
    private final CurrentTenant tenant;
    private final ObjectMapper json;

    OrderResource(OrderCommands commands, OrderQueries queries, CurrentTenant tenant, ObjectMapper json) {
        this.commands = commands;
        this.queries = queries;
        this.tenant = tenant;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiContract(problems = { ORDER_EXISTS, CONCURRENT_MODIFICATION }, etag = true)
    @Operation(operationId = "createOrder",
            summary = "Create an order (201, ETag, Location); Idempotency-Key makes retries safe")
    @APIResponse(responseCode = "201", description = "The new order",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OrderResponse.class)))
    public Uni<RestResponse<OrderResponse>> create(@Valid @NotNull OrderRequests.CreateOrder body,
            @HeaderParam("Idempotency-Key") String key, @HeaderParam("X-Correlation-Id") String correlation) {
        OrderCommand command = new OrderCommand.CreateOrder(body.customerId(), body.currency());
        return run(UuidV7.next(), command, null, new IdempotencyKeys.Sent(key, "POST /api/orders", body), correlation);
    }

    @POST
    @Path("{id}/items")
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiContract(problems = { ORDER_NOT_EDITABLE, CURRENCY_MISMATCH, UNKNOWN_PRODUCT, ORDER_EXISTS, CONCURRENT_MODIFICATION }, etag = true)
    @Operation(operationId = "addOrderItem",
            summary = "Add units of a product at its current catalog price (draft orders only)")
    public Uni<RestResponse<OrderResponse>> addItem(@PathParam("id") String id, @Valid @NotNull OrderRequests.AddItem body,
            @HeaderParam("If-Match") String ifMatch, @HeaderParam("Idempotency-Key") String key,
            @HeaderParam("X-Correlation-Id") String correlation) {
        UUID order = PublicIds.parse("id", id);
        Integer expected = ifMatch(ifMatch);
        // The price is read from the catalog inside the command's transaction.
        return run(new OrderCommands.Request(order, null, new OrderCommands.NewItem(body.productId(), body.quantity()),
                expected, new IdempotencyKeys.Sent(key, "POST /api/orders/" + order + "/items", body),
                correlation(correlation)));
    }

    @DELETE
    @Path("{id}/items/{productId}")
    @ApiContract(problems = { ORDER_NOT_EDITABLE, ITEM_NOT_IN_ORDER, ORDER_EXISTS, CONCURRENT_MODIFICATION }, etag = true)
    @Operation(operationId = "removeOrderItem", summary = "Remove a product from a draft order")
    public Uni<RestResponse<OrderResponse>> removeItem(@PathParam("id") String id, @PathParam("productId") String productId,
            @HeaderParam("If-Match") String ifMatch, @HeaderParam("X-Correlation-Id") String correlation) {
        return run(PublicIds.parse("id", id), new OrderCommand.RemoveItem(PublicIds.parse("productId", productId)),
                ifMatch(ifMatch), null, correlation);
    }

    @POST
    @Path("{id}/place")
    @ApiContract(problems = { ORDER_NOT_DRAFT, ORDER_EMPTY, ORDER_EXISTS, CONCURRENT_MODIFICATION }, etag = true)
    @Operation(operationId = "placeOrder", summary = "Place a draft order with at least one item")
    public Uni<RestResponse<OrderResponse>> place(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch,
            @HeaderParam("Idempotency-Key") String key, @HeaderParam("X-Correlation-Id") String correlation) {
        return transition(id, "place", new OrderCommand.PlaceOrder(), null, ifMatch, key, correlation);
    }

    @POST
    @Path("{id}/pay")
    @ApiContract(problems = { ORDER_NOT_PLACED, ORDER_EXISTS, CONCURRENT_MODIFICATION }, etag = true)
    @Operation(operationId = "payOrder", summary = "Capture payment of the order's total (placed orders only)")
    public Uni<RestResponse<OrderResponse>> pay(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch,
            @HeaderParam("Idempotency-Key") String key, @HeaderParam("X-Correlation-Id") String correlation) {
        return transition(id, "pay", new OrderCommand.CapturePayment(), null, ifMatch, key, correlation);
    }

    @POST
    @Path("{id}/ship")
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiContract(problems = { ORDER_NOT_PAID, ORDER_EXISTS, CONCURRENT_MODIFICATION }, etag = true)
    @Operation(operationId = "shipOrder", summary = "Ship a paid order with a tracking number")
    public Uni<RestResponse<OrderResponse>> ship(@PathParam("id") String id, @Valid @NotNull OrderRequests.Ship body,
            @HeaderParam("If-Match") String ifMatch, @HeaderParam("Idempotency-Key") String key,
            @HeaderParam("X-Correlation-Id") String correlation) {
        return transition(id, "ship", new OrderCommand.ShipOrder(body.trackingNumber()), body, ifMatch, key, correlation);
    }

    @POST
    @Path("{id}/deliver")
    @ApiContract(problems = { ORDER_NOT_SHIPPED, ORDER_EXISTS, CONCURRENT_MODIFICATION }, etag = true)
    @Operation(operationId = "deliverOrder", summary = "Mark a shipped order delivered")
    public Uni<RestResponse<OrderResponse>> deliver(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch,
            @HeaderParam("Idempotency-Key") String key, @HeaderParam("X-Correlation-Id") String correlation) {
        return transition(id, "deliver", new OrderCommand.DeliverOrder(), null, ifMatch, key, correlation);
    }

    @POST
    @Path("{id}/cancel")
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiContract(problems = { ORDER_NOT_CANCELLABLE, ORDER_EXISTS, CONCURRENT_MODIFICATION }, etag = true)
    @Operation(operationId = "cancelOrder", summary = "Cancel an order that has not shipped, with a reason")
    public Uni<RestResponse<OrderResponse>> cancel(@PathParam("id") String id, @Valid @NotNull OrderRequests.Cancel body,
            @HeaderParam("If-Match") String ifMatch, @HeaderParam("Idempotency-Key") String key,
            @HeaderParam("X-Correlation-Id") String correlation) {
        return transition(id, "cancel", new OrderCommand.CancelOrder(body.reason()), body, ifMatch, key, correlation);
    }

    @GET
    @Operation(operationId = "listOrders",
            summary = "List orders from the read model; status=, customer=, limit, cursor")
    public Uni<Page<OrderSummaryResponse>> list(@QueryParam("status") String status, @QueryParam("customer") String customer,
            @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        PageRequest page = PageRequest.of(QueryParams.integer("limit", limit), cursor);
        String s = status == null || status.isEmpty() ? null : status(status);
        UUID c = customer == null || customer.isEmpty() ? null : PublicIds.parse("customer", customer);
        return queries.list(tenant.get(), page, s, c).map(p -> p.map(OrderSummaryResponse::of));
    }

    @GET
    @Path("{id}")
    @ApiContract(etag = true)
    @Operation(operationId = "getOrder",
            summary = "The order now, or rebuilt from its events as of ?version=n or ?at=<ISO-8601 time>")
    public Uni<RestResponse<OrderResponse>> get(@PathParam("id") String id, @QueryParam("version") String version,
            @QueryParam("at") String at) {
        Integer v = QueryParams.integer("version", version);
        if (v != null && v < 1) {
            throw new InvalidInput("version", "must be 1 or more");
        }
        return queries.state(tenant.get(), PublicIds.parse("id", id), v, time(at))
                .map(o -> RestResponse.ResponseBuilder.ok(OrderResponse.of(o)).tag(String.valueOf(o.version())).build());
    }

    @GET
    @Path("{id}/events")
    @Operation(operationId = "listOrderEvents", summary = "The order's history, oldest first; limit and cursor")
    public Uni<Page<OrderEventResponse>> events(@PathParam("id") String id, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        Integer l = QueryParams.integer("limit", limit);
        int size = l == null ? PageRequest.DEFAULT_LIMIT : l;
        if (size < 1 || size > PageRequest.MAX_LIMIT) {
            throw new InvalidInput("limit", "must be between 1 and " + PageRequest.MAX_LIMIT);
        }
        int after = cursor == null || cursor.isEmpty() ? 0 : versionCursor(cursor);
        // The query reads one event more than the page: if it is there, the page's last version is the cursor.
        return queries.events(tenant.get(), PublicIds.parse("id", id), after, size).map(events -> new Page<>(
                events.stream().limit(size).map(OrderEventResponse::of).toList(),
                events.size() > size ? String.valueOf(events.get(size - 1).version()) : null));
    }

    private Uni<RestResponse<OrderResponse>> transition(String id, String action, OrderCommand command, Object body,
            String ifMatch, String key, String correlation) {
        UUID order = PublicIds.parse("id", id);
        return run(order, command, ifMatch(ifMatch),
                new IdempotencyKeys.Sent(key, "POST /api/orders/" + order + "/" + action, body), correlation);
    }

    private Uni<RestResponse<OrderResponse>> run(UUID order, OrderCommand command, Integer ifMatch,
            IdempotencyKeys.Sent key, String correlation) {
        return run(new OrderCommands.Request(order, command, null, ifMatch, key, correlation(correlation)));
    }

    private Uni<RestResponse<OrderResponse>> run(OrderCommands.Request request) {
        return commands.execute(tenant.get(), request).map(this::respond);
    }

    private RestResponse<OrderResponse> respond(CommandOutcome o) {
        OrderResponse body = o.order() != null ? OrderResponse.of(o.order()) : replayed(o.replayed());
        RestResponse.ResponseBuilder<OrderResponse> b = RestResponse.ResponseBuilder.<OrderResponse>create(o.status())
                .entity(body).header("ETag", o.etag());
        if (o.location() != null) {
            b.header("Location", o.location());
        }
        return b.build();
    }

    /** A retry's answer: the first answer's body, as stored with its Idempotency-Key. */
    private OrderResponse replayed(String stored) {
        try {
            return json.readValue(stored, OrderResponse.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored order response no longer reads as an order", e);
        }
    }

    /** A correlation id the client sent, if it is safe to record (visible ASCII); otherwise a fresh one. */
    private static String correlation(String header) {
        return header != null && IdempotencyKeys.VALID.matcher(header).matches() ? header : UUID.randomUUID().toString();
    }

    private static Integer ifMatch(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        Matcher m = ETAG.matcher(value.trim());
        if (!m.matches()) {
            throw new InvalidInput("If-Match", "must be an ETag this API returned, such as \"3\"");
        }
        return Integer.valueOf(m.group(1));
    }

    private static String status(String s) {
        try {
            return OrderStatus.valueOf(s).name();
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("status", "must be one of DRAFT, PLACED, PAID, SHIPPED, DELIVERED, CANCELLED");
        }
    }

    private static OffsetDateTime time(String at) {
        if (at == null || at.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(at);
        } catch (DateTimeParseException e) {
            throw new InvalidInput("at", "must be an ISO-8601 time with offset, such as 2026-01-31T12:00:00Z");
        }
    }

    private static int versionCursor(String cursor) {
        try {
            int v = Integer.parseInt(cursor);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new InvalidInput("cursor", "is not a cursor this API returned");
        }
    }
}
