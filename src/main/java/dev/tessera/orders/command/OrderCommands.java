package dev.tessera.orders.command;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.catalog.CatalogService;
import dev.tessera.catalog.domain.Product;
import dev.tessera.orders.domain.Order;
import dev.tessera.orders.domain.OrderCommand;
import dev.tessera.orders.domain.OrderEvent;
import dev.tessera.orders.domain.OrderRule;
import dev.tessera.orders.domain.OrderRuleViolation;
import dev.tessera.orders.eventstore.EventCodec;
import dev.tessera.orders.eventstore.OrderEventStore;
import dev.tessera.orders.projection.OrderProjection;
import dev.tessera.orders.query.OrderView;
import dev.tessera.shared.error.BusinessRuleViolation;
import dev.tessera.shared.error.Conflict;
import dev.tessera.shared.error.NotFound;
import dev.tessera.shared.error.PreconditionFailed;
import dev.tessera.shared.error.ProblemType;
import dev.tessera.shared.error.SqlStates;
import dev.tessera.shared.sql.Pipelined;
import dev.tessera.tenancy.TenantContext;
import dev.tessera.tenancy.TenantTx;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Runs one order command as one transaction: claim the idempotency key, load the order (its snapshot
 * and any later events), check If-Match, decide, append at expected version + 1, update the projection
 * and snapshot, record the response.
 */
@ApplicationScoped
public class OrderCommands {

    private final TenantTx tx;
    private final OrderEventStore store;
    private final OrderProjection projection;
    private final IdempotencyKeys idempotency;
    private final CatalogService catalog;
    private final MeterRegistry metrics;

    OrderCommands(TenantTx tx, OrderEventStore store, OrderProjection projection, IdempotencyKeys idempotency,
            CatalogService catalog, MeterRegistry metrics) {
        this.tx = tx;
        this.store = store;
        this.projection = projection;
        this.idempotency = idempotency;
        this.catalog = catalog;
        this.metrics = metrics;
        metrics.counter("tessera.orders.conflicts"); // exists at 0 before the first conflict, for dashboards
    }

    /**
     * A command with its request context. Exactly one of {@code command} and {@code item} is set: an
     * item to add is priced from the catalog inside the command's own transaction. {@code ifMatch} and
     * {@code idempotencyKey} may be null.
     */
    public record Request(UUID orderId, OrderCommand command, NewItem item, Integer ifMatch,
            IdempotencyKeys.Sent idempotencyKey, String correlationId) {
    }

    /** Units of a product to add to an order, at the catalog's price when the command runs. */
    public record NewItem(UUID productId, int quantity) {
    }

    /** What the first round trip read: a stored response (key used before), the product, the order. */
    private record Loaded(Optional<CommandOutcome> stored, Optional<Product> product, Order current) {
    }

    /** The answer, and the events to append after {@code expectedVersion} (null: replay a stored answer). */
    private record Decision(CommandOutcome outcome, int expectedVersion, List<OrderEvent> events, Order after) {
    }

    /** One retention batch: forgets up to {@code limit} expired Idempotency-Keys of the tenant. */
    public Uni<Integer> purgeExpiredKeys(TenantContext tenant, int limit) {
        return tx.inOneRoundTrip(tenant, conn -> idempotency.purgeExpired(conn, limit));
    }

    /** Runs the command; 400 before any database work if the Idempotency-Key is malformed. */
    public Uni<CommandOutcome> execute(TenantContext tenant, Request r) {
        IdempotencyKeys.Key key = idempotency.key(r.idempotencyKey());
        io.micrometer.core.instrument.Timer.Sample sample = io.micrometer.core.instrument.Timer.start(metrics);
        return run(tenant, r, key).onTermination().invoke((item, failure, cancelled) -> sample.stop(metrics.timer(
                "tessera.orders.command", "outcome", outcome(failure))));
    }

    /** Bounded tag: ok, conflict (lost a race), rejected (a rule, a precondition, not found) or error. */
    private static String outcome(Throwable failure) {
        if (failure == null) {
            return "ok";
        }
        if (failure instanceof Conflict c && c.type() == ProblemType.CONCURRENT_MODIFICATION) {
            return "conflict";
        }
        return failure instanceof dev.tessera.shared.error.ApiException ? "rejected" : "error";
    }

    /**
     * Two round trips: the key claim, the product and the order's state are read together; the
     * decision is made in Java; the append, the projection (with its snapshot), the key's response and
     * COMMIT travel together. A new order without a key reads nothing: one round trip.
     */
    private Uni<CommandOutcome> run(TenantContext tenant, Request r, IdempotencyKeys.Key key) {
        Uni<Decision> decided = creating(r) && key == null
                ? tx.inOneRoundTrip(tenant, conn -> write(conn, tenant, r, key, decide(r,
                        new Loaded(Optional.empty(), Optional.empty(), Order.empty(r.orderId())))))
                : tx.loadDecideWrite(tenant, conn -> load(conn, r, key), loaded -> decide(r, loaded),
                        (conn, d) -> write(conn, tenant, r, key, d));
        return decided
                .invoke(d -> metrics.counter("tessera.orders.appended").increment(d.events() == null ? 0 : d.events().size()))
                .map(Decision::outcome)
                .onFailure(SqlStates::isUniqueViolation).transform(e -> {
                    metrics.counter("tessera.orders.conflicts").increment();
                    return new Conflict(ProblemType.CONCURRENT_MODIFICATION,
                            "Another command changed this order first; reload it and retry");
                })
                .onFailure(OrderRuleViolation.class).transform(e -> {
                    OrderRuleViolation v = (OrderRuleViolation) e;
                    return new Conflict(problemType(v.rule()), v.getMessage());
                });
    }

    /**
     * The problem type that names each rule. A switch expression over an enum must cover every constant
     * (no default on purpose): a new rule does not compile until it has its problem type.
     */
    static ProblemType problemType(OrderRule rule) {
        return switch (rule) {
            case ORDER_NOT_EDITABLE -> ProblemType.ORDER_NOT_EDITABLE;
            case ORDER_EMPTY -> ProblemType.ORDER_EMPTY;
            case ORDER_NOT_DRAFT -> ProblemType.ORDER_NOT_DRAFT;
            case ORDER_NOT_PLACED -> ProblemType.ORDER_NOT_PLACED;
            case ORDER_NOT_PAID -> ProblemType.ORDER_NOT_PAID;
            case ORDER_NOT_SHIPPED -> ProblemType.ORDER_NOT_SHIPPED;
            case ORDER_NOT_CANCELLABLE -> ProblemType.ORDER_NOT_CANCELLABLE;
            case ITEM_NOT_IN_ORDER -> ProblemType.ITEM_NOT_IN_ORDER;
            case CURRENCY_MISMATCH -> ProblemType.CURRENCY_MISMATCH;
            case ORDER_EXISTS -> ProblemType.ORDER_EXISTS;
        };
    }

    private static boolean creating(Request r) {
        return r.command() instanceof OrderCommand.CreateOrder;
    }

    /** Sent together; a concurrent retry with the same key waits in the claim, and the reads queue behind it. */
    private Uni<Loaded> load(SqlConnection conn, Request r, IdempotencyKeys.Key key) {
        Uni<Optional<CommandOutcome>> stored = key == null ? Uni.createFrom().item(Optional.empty())
                : idempotency.claim(conn, key);
        Uni<Optional<Product>> product = r.item() == null ? Uni.createFrom().item(Optional.empty())
                : catalog.findLive(conn, r.item().productId());
        Uni<Order> current = creating(r) ? Uni.createFrom().item(Order.empty(r.orderId()))
                : projection.current(conn, r.orderId());
        return Uni.combine().all().unis(stored, product, current).collectFailures()
                .with((s, p, c) -> new Loaded(s, p, c))
                .onFailure().transform(Pipelined::firstInQueue);
    }

    /** Pure Java on what was loaded; every rejection is thrown, so that the transaction rolls back. */
    private static Decision decide(Request r, Loaded loaded) {
        if (loaded.stored().isPresent()) {
            return new Decision(loaded.stored().get(), 0, null, null);
        }
        Order current = loaded.current();
        if (!creating(r) && !current.exists()) {
            throw new NotFound("Order");
        }
        if (r.ifMatch() != null && r.ifMatch() != current.version()) {
            throw new PreconditionFailed(
                    "If-Match names version " + r.ifMatch() + ", the order is at version " + current.version());
        }
        List<OrderEvent> events = current.decide(r.item() == null ? r.command() : priced(r.item(), loaded.product()));
        Order after = current;
        for (OrderEvent e : events) {
            after = after.apply(e);
        }
        CommandOutcome outcome = new CommandOutcome(creating(r) ? 201 : 200, after, null, after.version(),
                creating(r) ? "/api/orders/" + after.id() : null);
        return new Decision(outcome, current.version(), events, after);
    }

    /** The price is captured from the catalog now; it becomes part of the ItemAdded event. */
    private static OrderCommand priced(NewItem item, Optional<Product> product) {
        Product p = product.orElseThrow(() -> new BusinessRuleViolation(ProblemType.UNKNOWN_PRODUCT,
                "No live product " + item.productId()));
        return new OrderCommand.AddItem(p.id(), p.sku(), item.quantity(), p.price(), p.currency());
    }

    /**
     * Sends the append, the projection update and the idempotency record together: none needs another's
     * result. If the append loses the race (23505), PostgreSQL aborts the transaction and the other two
     * fail behind it; the first failure is the one reported.
     */
    private Uni<Decision> write(SqlConnection conn, TenantContext tenant, Request r, IdempotencyKeys.Key key, Decision d) {
        if (d.events() == null) {
            return Uni.createFrom().item(d);
        }
        JsonObject metadata = new JsonObject().put("actor", tenant.userId()).put("correlationId", r.correlationId())
                .put("schemaVersion", EventCodec.SCHEMA_VERSION);
        Uni<Void> append = store.append(conn, r.orderId(), d.expectedVersion(), d.events(), metadata);
        Uni<Void> project = projection.apply(conn, d.after(), OffsetDateTime.now());
        // What a retry gets back: the same JSON as the answer (OrderResponse), as stored by OrderView.
        Uni<Void> remember = key == null ? Uni.createFrom().voidItem()
                : idempotency.record(conn, key, d.outcome(), OrderView.of(d.after()));
        return Uni.combine().all().unis(append, project, remember).collectFailures().discardItems()
                .onFailure().transform(Pipelined::firstInQueue)
                .replaceWith(d);
    }
}
