package dev.tessera.webhooks;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.customers.TenantSecrets;
import dev.tessera.shared.error.InvalidInput;
import dev.tessera.shared.error.NotFound;
import dev.tessera.shared.id.UuidV7;
import dev.tessera.shared.paging.Page;
import dev.tessera.shared.paging.PageRequest;
import dev.tessera.tenancy.TenantContext;
import dev.tessera.tenancy.TenantTx;
import dev.tessera.webhooks.persistence.DeliveryStore;
import dev.tessera.webhooks.persistence.EndpointStore;
import io.smallrye.mutiny.Uni;

/**
 * A tenant admin's webhooks: endpoints (registered with a new signing secret shown once, changed,
 * deleted, their secret rotated), and each endpoint's delivery log and replays. Every use case is one
 * tenant transaction; secrets are encrypted under the tenant's key in the same transaction.
 */
@ApplicationScoped
public class WebhookService {

    /** Most deliveries one range replay may create. */
    public static final int MAX_REPLAY = 1000;

    private final TenantTx tx;
    private final EndpointStore endpoints;
    private final DeliveryStore deliveries;
    private final TenantSecrets secrets;
    private final WebhookSender sender;
    private final WebhookConfig config;

    WebhookService(TenantTx tx, EndpointStore endpoints, DeliveryStore deliveries, TenantSecrets secrets, WebhookSender sender,
            WebhookConfig config) {
        this.sender = sender;
        this.tx = tx;
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.secrets = secrets;
        this.config = config;
    }

    /** Registers an endpoint; the result carries its signing secret, which is never shown again. */
    public Uni<WithSecret> register(TenantContext tenant, String url, List<String> types, boolean enabled) {
        sender.requireUrl("url", url);
        String secret = WebhookSignature.newSecret();
        return tx.run(tenant, conn -> secrets.seal(conn, tenant, secret)
                .flatMap(sealed -> endpoints.insert(conn, UuidV7.next(), url, types, enabled, sealed)))
                .map(e -> new WithSecret(e, secret));
    }

    public Uni<Page<Endpoint>> list(TenantContext tenant, PageRequest page) {
        return tx.run(tenant, conn -> endpoints.list(conn, page.after(), page.limit() + 1))
                .map(rows -> page.page(rows, Endpoint::id));
    }

    public Uni<Endpoint> get(TenantContext tenant, UUID id) {
        return tx.run(tenant, conn -> endpoints.get(conn, id)).map(e -> e.orElseThrow(WebhookService::notFound));
    }

    /** Changes the fields given (null: unchanged); enabling clears the reason the service disabled it for. */
    public Uni<Endpoint> update(TenantContext tenant, UUID id, String url, List<String> types, Boolean enabled) {
        if (url != null) {
            sender.requireUrl("url", url);
        }
        return tx.run(tenant, conn -> endpoints.update(conn, id, url, types, enabled)).map(e -> e.orElseThrow(WebhookService::notFound));
    }

    public Uni<Void> delete(TenantContext tenant, UUID id) {
        return tx.run(tenant, conn -> endpoints.delete(conn, id)).map(deleted -> {
            if (!deleted) {
                throw notFound();
            }
            return null;
        });
    }

    /** A new signing secret, shown once; the old one keeps signing for {@code tessera.webhooks.secret-grace-period}. */
    public Uni<WithSecret> rotate(TenantContext tenant, UUID id) {
        String secret = WebhookSignature.newSecret();
        return tx.run(tenant, conn -> secrets.seal(conn, tenant, secret)
                .flatMap(sealed -> endpoints.rotate(conn, id, config.secretGracePeriod().toMillis(), sealed)))
                .map(e -> new WithSecret(e.orElseThrow(WebhookService::notFound), secret));
    }

    /** The endpoint's deliveries, newest first. */
    public Uni<Page<Delivery>> deliveries(TenantContext tenant, UUID endpoint, PageRequest page) {
        return tx.run(tenant, conn -> endpoints.get(conn, endpoint).flatMap(e -> e.isEmpty() ? Uni.createFrom().failure(notFound())
                : deliveries.list(conn, endpoint, page.after(), page.limit() + 1))).map(rows -> page.page(rows, Delivery::id));
    }

    /** One delivery with every attempt. */
    public Uni<Delivery> delivery(TenantContext tenant, UUID endpoint, UUID delivery) {
        return tx.run(tenant, conn -> deliveries.get(conn, endpoint, delivery)).map(d -> d.orElseThrow(WebhookService::notFound));
    }

    /** A new delivery of the same message (same webhook-id), due now. */
    public Uni<Delivery> replay(TenantContext tenant, UUID endpoint, UUID delivery) {
        UUID replay = UuidV7.next();
        return tx.run(tenant, conn -> deliveries.idOf(conn, endpoint, delivery).flatMap(id -> id.isEmpty()
                ? Uni.createFrom().failure(notFound())
                : deliveries.replay(conn, List.of(id.get()), List.of(replay))
                        .flatMap(n -> deliveries.get(conn, endpoint, replay))))
                .map(d -> d.orElseThrow(WebhookService::notFound));
    }

    /** Replays every first delivery of the endpoint created in [from, to); how many. */
    public Uni<Integer> replayRange(TenantContext tenant, UUID endpoint, OffsetDateTime from, OffsetDateTime to) {
        return tx.run(tenant, conn -> endpoints.get(conn, endpoint).flatMap(e -> e.isEmpty() ? Uni.createFrom().failure(notFound())
                : deliveries.inRange(conn, endpoint, from, to, MAX_REPLAY + 1).flatMap(ids -> {
                    if (ids.size() > MAX_REPLAY) {
                        return Uni.createFrom().failure(new InvalidInput("to",
                                "selects more than " + MAX_REPLAY + " deliveries: replay a shorter range"));
                    }
                    return deliveries.replay(conn, ids, ids.stream().map(x -> UuidV7.next()).toList());
                })));
    }

    private static NotFound notFound() {
        return new NotFound("Webhook endpoint or delivery");
    }

    /** An endpoint with the signing secret just made for it (registration and rotation only). */
    public record WithSecret(Endpoint endpoint, String secret) {
    }
}
