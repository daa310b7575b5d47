package dev.tessera.webhooks;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.customers.TenantSecrets;
import dev.tessera.customers.TenantSecrets.Sealed;
import dev.tessera.tenancy.TenantContext;
import dev.tessera.tenancy.TenantTx;
import dev.tessera.webhooks.persistence.DeliveryStore;
import dev.tessera.webhooks.persistence.DeliveryStore.Claimed;
import dev.tessera.webhooks.persistence.DeliveryStore.Outcome;
import dev.tessera.webhooks.persistence.EndpointStore;
import dev.tessera.webhooks.persistence.EndpointStore.Target;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Sends a tenant's due deliveries: claims them (a lease, in a short transaction that commits before any
 * request leaves), decrypts the endpoints' secrets, sends each request, and records each outcome in a
 * transaction of its own: delivered on 2xx; on 410 Gone dead, and the endpoint disabled; otherwise
 * retried with backoff until the retry period ends, then dead; an endpoint whose attempts have all failed
 * for {@code tessera.webhooks.disable-after} is disabled with its reason. Nothing is held open during a
 * request, and a sender that dies leaves its deliveries to be sent again when their lease ends.
 */
@ApplicationScoped
public class WebhookDeliveryRun {

    private final TenantTx tx;
    private final DeliveryStore store;
    private final EndpointStore endpoints;
    private final TenantSecrets secrets;
    private final WebhookSender sender;
    private final WebhookConfig config;
    private final Backoff backoff;
    private final MeterRegistry metrics;

    WebhookDeliveryRun(TenantTx tx, DeliveryStore store, EndpointStore endpoints, TenantSecrets secrets, WebhookSender sender,
            WebhookConfig config, MeterRegistry metrics) {
        this.tx = tx;
        this.store = store;
        this.endpoints = endpoints;
        this.secrets = secrets;
        this.sender = sender;
        this.config = config;
        this.metrics = metrics;
        this.backoff = new Backoff(config.retryInitialDelay(), config.retryMaxDelay(), config.retryPeriod());
    }

    /**
     * Claims up to {@code free} due deliveries and starts their requests ({@code running} counts them; {@code done}
     * runs as each ends); returns when the tenant's next pending delivery is due, if it has one.
     */
    public Uni<Optional<OffsetDateTime>> claimAndSend(TenantContext system, int free, AtomicInteger running, Runnable done) {
        // The lease outlasts the request's timeout, with room for the DNS lookup and the outcome's transaction.
        long lease = config.timeout().toMillis() * 2 + 30_000;
        return tx.run(system, conn -> store.claim(conn, free, lease).flatMap(claimed -> jobs(conn, system, claimed))
                .flatMap(jobs -> store.nextDue(conn).map(next -> new Work(jobs, next))))
                .invoke(work -> work.jobs().forEach(job -> start(system, job, running, done)))
                .map(Work::next);
    }

    private Uni<List<Job>> jobs(SqlConnection conn, TenantContext system, List<Claimed> claimed) {
        if (claimed.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Long> ids = claimed.stream().map(Claimed::endpointId).distinct().toList();
        return endpoints.forSending(conn, ids).flatMap(targets -> {
            List<Sealed> sealed = targets.stream().flatMap(t -> t.secrets().stream()).toList();
            return secrets.open(conn, system, sealed).map(clear -> {
                Map<Long, Job.To> byId = new HashMap<>();
                int i = 0;
                for (Target t : targets) {
                    byId.put(t.id(), new Job.To(t.url(), List.copyOf(clear.subList(i, i + t.secrets().size()))));
                    i += t.secrets().size();
                }
                List<Job> jobs = new ArrayList<>(claimed.size());
                claimed.forEach(c -> jobs.add(new Job(c, byId.get(c.endpointId()))));
                return jobs;
            });
        });
    }

    private void start(TenantContext system, Job job, AtomicInteger running, Runnable done) {
        running.incrementAndGet();
        sender.send(job.to().url(), job.claimed().eventId().toString(), job.to().secrets(), job.claimed().body())
                .flatMap(outcome -> record(system, job.claimed(), outcome))
                .onTermination().invoke(() -> {
                    running.decrementAndGet();
                    done.run();
                })
                .subscribe().with(x -> {
                }, e -> Log.warnf("Webhooks: tenant %s: the outcome of a delivery was not recorded (it is sent again "
                        + "when its lease ends): %s", system.tenant().slug(), e.getMessage()));
    }

    private Uni<Void> record(TenantContext system, Claimed c, Outcome outcome) {
        Integer status = outcome.statusCode();
        if (status != null && status / 100 == 2) {
            count("delivered");
            return tx.run(system, conn -> store.record(conn, c, outcome, "delivered", null)
                    .flatMap(x -> store.healthy(conn, c.endpointId())));
        }
        if (status != null && status == 410) {
            count("gone");
            return tx.run(system, conn -> store.record(conn, c, outcome, "dead", null)
                    .flatMap(x -> store.failing(conn, c.endpointId(), "The endpoint answered 410 Gone", 0)))
                    .invoke(disabled -> disabled(system, disabled)).replaceWithVoid();
        }
        OffsetDateTime retry = backoff.next(c.createdAt(), c.attempts() + 1, OffsetDateTime.now(ZoneOffset.UTC));
        count(retry == null ? "dead" : "failed");
        String reason = "Every attempt failed for longer than " + config.disableAfter() + "; the last: " + outcome.error();
        return tx.run(system, conn -> store.record(conn, c, outcome, retry == null ? "dead" : "pending", retry)
                .flatMap(x -> store.failing(conn, c.endpointId(), reason, config.disableAfter().toMillis())))
                .invoke(disabled -> disabled(system, disabled)).replaceWithVoid();
    }

    private void disabled(TenantContext system, boolean disabled) {
        if (disabled) {
            metrics.counter("tessera.webhooks.endpoints.disabled").increment();
            Log.warnf("Webhooks: tenant %s: an endpoint was disabled (its reason is in the endpoint and the audit trail)",
                    system.tenant().slug());
        }
    }

    private void count(String outcome) {
        metrics.counter("tessera.webhooks.attempts", "outcome", outcome).increment();
    }

    /** A claimed delivery and where it goes. */
    private record Job(Claimed claimed, To to) {
        /** The endpoint's URL and its signing secrets in clear, current first. */
        record To(String url, List<String> secrets) {
        }
    }

    /** What a claim started, and when the tenant's next delivery is due. */
    private record Work(List<Job> jobs, Optional<OffsetDateTime> next) {
    }
}
