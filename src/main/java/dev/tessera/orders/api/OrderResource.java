package dev.tessera.orders.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
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
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tessera.orders.command.CommandOutcome;
import dev.tessera.orders.command.IdempotencyKeys;
import dev.tessera.orders.command.OrderCommands;
import dev.tessera.orders.domain.OrderCommand;
import dev.tessera.orders.query.OrderQueries;
import dev.tessera.orders.query.OrderView;
import dev.tessera.security.Roles;
import dev.tessera.shared.error.InvalidInput;
import dev.tessera.shared.id.PublicIds;
import dev.tessera.shared.id.UuidV7;
import dev.tessera.shared.paging.Page;
import dev.tessera.shared.paging.PageRequest;
import dev.tessera.shared.paging.QueryParams;
import dev.tessera.tenancy.CurrentTenant;
import dev.tessera.tenancy.TenantScoped;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code /api/orders}: event-sourced orders. Commands answer with the order and {@code ETag: "<version>"};
 * {@code If-Match} makes a command conditional (412 if the order moved on); {@code Idempotency-Key}
 * makes a POST safe to retry (the first response comes back; another body with the same key is 422).
 */
@Path("/api/orders")
@TenantScoped
@Tag(name = "Orders")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.TENANT_MEMBER, Roles.TENANT_ADMIN })
public class OrderResource {

    private static final Pattern ETAG = Pattern.compile("(?:W/)?\"?(\\d{1,9})\"?");
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

    private final OrderCommands commands;
    private final OrderQueries queries;
    private final CurrentTenant tenant;
    private final ObjectMapper json;

    OrderResource(OrderCommands commands, OrderQueries queries, CurrentTenant tenant,
            ObjectMapper json) {
        this.commands = commands;
        this.queries = queries;
        this.tenant = tenant;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an order (201, ETag, Location); Idempotency-Key makes retries safe")
    public Uni<Response> create(@Valid @NotNull OrderRequests.CreateOrder body, @HeaderParam("Idempotency-Key") String key,
            @HeaderParam("X-Correlation-Id") String correlation) {
        return run(UuidV7.next(), new OrderCommand.CreateOrder(body.customerId(), body.currency()), null,
                key(key, "POST /api/orders", body), correlation);
    }

    @POST
    @Path("{id}/items")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add units of a product at its current catalog price (draft orders only)")
    public Uni<Response> addItem(@PathParam("id") String id, @Valid @NotNull OrderRequests.AddItem body,
            @HeaderParam("If-Match") String ifMatch, @HeaderParam("Idempotency-Key") String key,
            @HeaderParam("X-Correlation-Id") String correlation) {
        UUID order = PublicIds.parse("id", id);
        Integer expected = ifMatch(ifMatch);
        IdempotencyKeys.Key k = key(key, "POST /api/orders/" + order + "/items", body);
        // The price is read from the catalog inside the command's transaction.
        return run(new OrderCommands.Request(order, null, new OrderCommands.NewItem(body.productId(), body.quantity()),
                expected, k, correlation(correlation)));
    }

    @DELETE
    @Path("{id}/items/{productId}")
    @Operation(summary = "Remove a product from a draft order")
    public Uni<Response> removeItem(@PathParam("id") String id, @PathParam("productId") String productId,
            @HeaderParam("If-Match") String ifMatch, @HeaderParam("X-Correlation-Id") String correlation) {
        return run(PublicIds.parse("id", id), new OrderCommand.RemoveItem(PublicIds.parse("productId", productId)),
                ifMatch(ifMatch), null, correlation);
    }

    @POST
    @Path("{id}/place")
    @Operation(summary = "Place a draft order with at least one item")
    public Uni<Response> place(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch,
            @HeaderParam("Idempotency-Key") String key, @HeaderParam("X-Correlation-Id") String correlation) {
        return simple(id, "place", new OrderCommand.PlaceOrder(), ifMatch, key, correlation);
    }

    @POST
    @Path("{id}/pay")
    @Operation(summary = "Capture payment of the order's total (placed orders only)")
    public Uni<Response> pay(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch,
            @HeaderParam("Idempotency-Key") String key, @HeaderParam("X-Correlation-Id") String correlation) {
        return simple(id, "pay", new OrderCommand.CapturePayment(), ifMatch, key, correlation);
    }

    @POST
    @Path("{id}/ship")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Ship a paid order with a tracking number")
    public Uni<Response> ship(@PathParam("id") String id, @Valid @NotNull OrderRequests.Ship body,
            @HeaderParam("If-Match") String ifMatch, @HeaderParam("Idempotency-Key") String key,
            @HeaderParam("X-Correlation-Id") String correlation) {
        UUID order = PublicIds.parse("id", id);
        return run(order, new OrderCommand.ShipOrder(body.trackingNumber()), ifMatch(ifMatch),
                key(key, "POST /api/orders/" + order + "/ship", body), correlation);
    }

    @POST
    @Path("{id}/deliver")
    @Operation(summary = "Mark a shipped order delivered")
    public Uni<Response> deliver(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch,
            @HeaderParam("Idempotency-Key") String key, @HeaderParam("X-Correlation-Id") String correlation) {
        return simple(id, "deliver", new OrderCommand.DeliverOrder(), ifMatch, key, correlation);
    }

    @POST
    @Path("{id}/cancel")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Cancel an order that has not shipped, with a reason")
    public Uni<Response> cancel(@PathParam("id") String id, @Valid @NotNull OrderRequests.Cancel body,
            @HeaderParam("If-Match") String ifMatch, @HeaderParam("Idempotency-Key") String key,
            @HeaderParam("X-Correlation-Id") String correlation) {
        UUID order = PublicIds.parse("id", id);
        return run(order, new OrderCommand.CancelOrder(body.reason()), ifMatch(ifMatch),
                key(key, "POST /api/orders/" + order + "/cancel", body), correlation);
    }

    @GET
    @Operation(summary = "List orders from the read model; status=, customer=, limit, cursor")
    public Uni<Response> list(@QueryParam("status") String status, @QueryParam("customer") String customer,
            @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        PageRequest page = PageRequest.of(QueryParams.integer("limit", limit), cursor);
        String s = status == null || status.isEmpty() ? null : status(status);
        UUID c = customer == null || customer.isEmpty() ? null : PublicIds.parse("customer", customer);
        return queries.list(tenant.get(), page, s, c).map(p -> Response.ok(page(p).encode()).build());
    }

    @GET
    @Path("{id}")
    @Operation(summary = "The order now, or rebuilt from its events as of ?version=n or ?at=<ISO-8601 time>")
    public Uni<Response> get(@PathParam("id") String id, @QueryParam("version") String version, @QueryParam("at") String at) {
        Integer v = QueryParams.integer("version", version);
        if (v != null && v < 1) {
            throw new InvalidInput("version", "must be 1 or more");
        }
        return queries.state(tenant.get(), PublicIds.parse("id", id), v, time(at))
                .map(o -> Response.ok(OrderView.of(o).encode()).tag(String.valueOf(o.version())).build());
    }

    @GET
    @Path("{id}/events")
    @Operation(summary = "The order's history, oldest first; limit and cursor")
    public Uni<Response> events(@PathParam("id") String id, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        Integer l = QueryParams.integer("limit", limit);
        int size = l == null ? PageRequest.DEFAULT_LIMIT : l;
        if (size < 1 || size > PageRequest.MAX_LIMIT) {
            throw new InvalidInput("limit", "must be between 1 and " + PageRequest.MAX_LIMIT);
        }
        int after = cursor == null || cursor.isEmpty() ? 0 : versionCursor(cursor);
        return queries.events(tenant.get(), PublicIds.parse("id", id), after, size).map(events -> {
            JsonArray items = new JsonArray();
            events.stream().limit(size).forEach(e -> items.add(new JsonObject().put("version", e.version())
                    .put("type", e.type()).put("payload", e.payload()).put("metadata", e.metadata())
                    .put("recordedAt", e.recordedAt().toString())));
            String next = events.size() > size ? String.valueOf(events.get(size - 1).version()) : null;
            return Response.ok(new JsonObject().put("items", items).put("next", next).encode()).build();
        });
    }

    private Uni<Response> simple(String id, String action, OrderCommand command, String ifMatch, String key,
            String correlation) {
        UUID order = PublicIds.parse("id", id);
        return run(order, command, ifMatch(ifMatch), key(key, "POST /api/orders/" + order + "/" + action, null),
                correlation);
    }

    private Uni<Response> run(UUID order, OrderCommand command, Integer ifMatch, IdempotencyKeys.Key key,
            String correlation) {
        return run(new OrderCommands.Request(order, command, null, ifMatch, key, correlation(correlation)));
    }

    private Uni<Response> run(OrderCommands.Request request) {
        return commands.execute(tenant.get(), request).map(OrderResource::respond);
    }

    private static String correlation(String header) {
        return header != null && KEY.matcher(header).matches() ? header : UUID.randomUUID().toString();
    }

    private static Response respond(CommandOutcome o) {
        Response.ResponseBuilder b = Response.status(o.status()).entity(o.body()).type(MediaType.APPLICATION_JSON)
                .header("ETag", o.etag());
        if (o.location() != null) {
            b.header("Location", o.location());
        }
        return b.build();
    }

    private IdempotencyKeys.Key key(String key, String request, Object body) {
        if (key == null) {
            return null;
        }
        if (!KEY.matcher(key).matches()) {
            throw new InvalidInput("Idempotency-Key", "must be 1 to 255 visible ASCII characters");
        }
        try {
            String canonical = request + "\n" + (body == null ? "" : json.writeValueAsString(body));
            return new IdempotencyKeys.Key(key, MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (JsonProcessingException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("Cannot hash the request", e);
        }
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
            return dev.tessera.orders.domain.OrderStatus.valueOf(s).name();
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

    private static JsonObject page(Page<dev.tessera.orders.projection.OrderProjection.OrderSummary> p) {
        JsonArray items = new JsonArray();
        p.items().forEach(o -> items.add(new JsonObject().put("id", o.id().toString()).put("status", o.status())
                .put("customerId", o.customerId() == null ? null : o.customerId().toString())
                .put("currency", o.currency()).put("total", o.total().setScale(2).toPlainString())
                .put("itemCount", o.itemCount()).put("version", o.version()).put("createdAt", o.createdAt().toString())
                .put("updatedAt", o.updatedAt().toString())));
        return new JsonObject().put("items", items).put("next", p.next());
    }
}
