package dev.tessera.orders.command;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.orders.domain.Order;
import dev.tessera.orders.domain.OrderCommand;
import dev.tessera.orders.domain.OrderEvent;
import dev.tessera.orders.domain.OrderRuleViolation;
import dev.tessera.orders.eventstore.EventCodec;
import dev.tessera.orders.eventstore.OrderEventStore;
import dev.tessera.orders.eventstore.RecordedEvent;
import dev.tessera.orders.projection.OrderProjection;
import dev.tessera.orders.query.OrderView;
import dev.tessera.shared.error.Conflict;
import dev.tessera.shared.error.NotFound;
import dev.tessera.shared.error.PreconditionFailed;
import dev.tessera.shared.error.ProblemType;
import dev.tessera.shared.error.SqlStates;
import dev.tessera.tenancy.TenantContext;
import dev.tessera.tenancy.TenantTx;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Runs one order command as one transaction: claim the idempotency key, load the stream, check
 * If-Match, decide, append at expected version + 1, update the projection, record the response.
 */
@ApplicationScoped
public class OrderCommands {

    private final TenantTx tx;
    private final OrderEventStore store;
    private final OrderProjection projection;
    private final IdempotencyKeys idempotency;
    private final MeterRegistry metrics;

    OrderCommands(TenantTx tx, OrderEventStore store, OrderProjection projection, IdempotencyKeys idempotency,
            MeterRegistry metrics) {
        this.tx = tx;
        this.store = store;
        this.projection = projection;
        this.idempotency = idempotency;
        this.metrics = metrics;
        metrics.counter("tessera.orders.conflicts"); // exists at 0 before the first conflict, for dashboards
    }

    /** A command with its request context. {@code ifMatch} and {@code key} may be null. */
    public record Request(UUID orderId, OrderCommand command, Integer ifMatch, IdempotencyKeys.Key key,
            String correlationId) {
    }

    /** One retention batch: forgets up to {@code limit} expired Idempotency-Keys of the tenant. */
    public Uni<Integer> purgeExpiredKeys(TenantContext tenant, int limit) {
        return tx.single(tenant, conn -> idempotency.purgeExpired(conn, limit));
    }

    public Uni<CommandOutcome> execute(TenantContext tenant, Request r) {
        io.micrometer.core.instrument.Timer.Sample sample = io.micrometer.core.instrument.Timer.start(metrics);
        return run(tenant, r).onTermination().invoke((item, failure, cancelled) -> sample.stop(metrics.timer(
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

    private Uni<CommandOutcome> run(TenantContext tenant, Request r) {
        // A new order (its id was just generated) has no history to load, and without an Idempotency-Key
        // there is nothing to claim first: its statements and COMMIT then travel in one round trip.
        Uni<CommandOutcome> outcome = r.command() instanceof OrderCommand.CreateOrder && r.key() == null
                ? tx.single(tenant, conn -> decideAndAppend(conn, tenant, r, Order.empty(r.orderId())))
                : tx.run(tenant, conn -> (r.key() == null ? Uni.createFrom().item(Optional.<CommandOutcome>empty())
                        : idempotency.claim(conn, r.key()))
                        .flatMap(stored -> stored.isPresent() ? Uni.createFrom().item(stored.get()) : loadAndDecide(conn, tenant, r)));
        return outcome
                .onFailure(SqlStates::isUniqueViolation).transform(e -> {
                    metrics.counter("tessera.orders.conflicts").increment();
                    return new Conflict(ProblemType.CONCURRENT_MODIFICATION,
                            "Another command changed this order first; reload it and retry");
                })
                .onFailure(OrderRuleViolation.class).transform(e -> {
                    OrderRuleViolation v = (OrderRuleViolation) e;
                    return new Conflict(ProblemType.valueOf(v.rule().name()), v.getMessage());
                });
    }

    private Uni<CommandOutcome> loadAndDecide(SqlConnection conn, TenantContext tenant, Request r) {
        return store.load(conn, r.orderId(), null, null).flatMap(history -> decideAndAppend(conn, tenant, r,
                Order.replay(r.orderId(), history.stream().map(RecordedEvent::event).toList())));
    }

    /**
     * Decides on the current state, then sends the append, the projection update and the idempotency
     * record together: none needs another's result. If the append loses the race (23505), PostgreSQL
     * aborts the transaction and the other two fail behind it; the first failure is the one reported.
     */
    private Uni<CommandOutcome> decideAndAppend(SqlConnection conn, TenantContext tenant, Request r, Order current) {
        boolean creating = r.command() instanceof OrderCommand.CreateOrder;
        if (!creating && !current.exists()) {
            return Uni.createFrom().failure(new NotFound("Order"));
        }
        if (r.ifMatch() != null && r.ifMatch() != current.version()) {
            return Uni.createFrom().failure(new PreconditionFailed(
                    "If-Match names version " + r.ifMatch() + ", the order is at version " + current.version()));
        }
        List<OrderEvent> events = current.decide(r.command());
        Order next = current;
        for (OrderEvent e : events) {
            next = next.apply(e);
        }
        Order after = next;
        JsonObject metadata = new JsonObject().put("actor", tenant.userId()).put("correlationId", r.correlationId())
                .put("schemaVersion", EventCodec.SCHEMA_VERSION);
        CommandOutcome outcome = new CommandOutcome(creating ? 201 : 200, OrderView.of(after).encode(), after.version(),
                creating ? "/api/orders/" + after.id() : null);
        Uni<Void> append = store.append(conn, r.orderId(), current.version(), events, metadata);
        Uni<Void> project = projection.apply(conn, after, OffsetDateTime.now());
        Uni<Void> remember = r.key() == null ? Uni.createFrom().voidItem() : idempotency.record(conn, r.key(), outcome);
        return Uni.combine().all().unis(append, project, remember).collectFailures().discardItems()
                .onFailure().transform(TenantTx::firstInQueue)
                .invoke(() -> metrics.counter("tessera.orders.appended").increment(events.size()))
                .replaceWith(outcome);
    }

}
