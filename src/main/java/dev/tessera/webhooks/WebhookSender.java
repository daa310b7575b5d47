package dev.tessera.webhooks;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.shared.http.OutboundHosts;
import dev.tessera.webhooks.persistence.DeliveryStore.Outcome;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.net.SocketAddress;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.vertx.mutiny.ext.web.codec.BodyCodec;

/**
 * Sends one signed message to an endpoint, on the non-blocking Vert.x client, and says what happened.
 *
 * <p>Server-side request forgery: the URL was checked at registration ({@link #requireUrl}); before
 * every request its host is resolved here and every address must be public unless the operator allows
 * the host ({@link OutboundHosts}). The request then goes to the address that was checked (the URL's
 * host stays in the Host header and in TLS), so a name that resolves elsewhere a moment later (DNS
 * rebinding) is never asked. Redirects are not followed: a 3xx is a failed attempt. The answer's body
 * is discarded unread.
 */
@ApplicationScoped
public class WebhookSender {

    private final WebClient client;
    private final OutboundHosts hosts;
    private final WebhookConfig config;

    WebhookSender(Vertx vertx, WebhookConfig config) {
        this.config = config;
        this.hosts = new OutboundHosts(config.allowHttp(), config.allowedHosts().orElse(List.of()),
                "tessera.webhooks.allowed-hosts");
        this.client = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false).setForceSni(true)
                .setUserAgent("Tessera-Webhooks/1").setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.timeout().toMillis()))
                .setMaxPoolSize(64));
    }

    /** The URL as given if an endpoint may be registered at it, else 400 naming {@code field}. */
    public String requireUrl(String field, String url) {
        hosts.require(field, url, true);
        return url;
    }

    /** POSTs {@code body} to {@code url} with the Standard Webhooks headers; never fails, the outcome says how it went. */
    public Uni<Outcome> send(String url, String id, List<String> secrets, String body) {
        OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC);
        long start = System.nanoTime();
        URI target = URI.create(url);
        return resolve(target).flatMap(addresses -> {
            Optional<String> refused = addresses.isEmpty() ? Optional.of("its host does not resolve")
                    : hosts.refusal(target, addresses);
            if (refused.isPresent()) {
                Log.warnf("Webhook request to %s refused: %s", target.getHost(), refused.get());
                return Uni.createFrom().item(outcome(at, start, null, "refused: " + refused.get()));
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            long timestamp = Instant.now().getEpochSecond();
            SocketAddress server = SocketAddress.inetSocketAddress(OutboundHosts.portOf(target), addresses.get(0).getHostAddress());
            return client.requestAbs(HttpMethod.POST, server, url).as(BodyCodec.none()).followRedirects(false)
                    .timeout(config.timeout().toMillis())
                    .putHeader("content-type", "application/json")
                    .putHeader("webhook-id", id)
                    .putHeader("webhook-timestamp", Long.toString(timestamp))
                    .putHeader("webhook-signature", WebhookSignature.header(secrets, id, timestamp, bytes))
                    .sendBuffer(Buffer.buffer(bytes))
                    // The client's timeout restarts on every byte; this one bounds the whole exchange.
                    .ifNoItem().after(config.timeout()).failWith(TimeoutException::new)
                    .map(r -> outcome(at, start, r.statusCode(), r.statusCode() / 100 == 2 ? null : "HTTP " + r.statusCode()))
                    .onFailure().recoverWithItem(e -> outcome(at, start, null, describe(e)));
        });
    }

    private static Uni<List<InetAddress>> resolve(URI target) {
        // The JVM's resolver blocks: on a worker thread, never on the event loop.
        return Uni.createFrom().item(() -> {
            try {
                return List.of(InetAddress.getAllByName(target.getHost()));
            } catch (UnknownHostException e) {
                return List.<InetAddress>of();
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private String describe(Throwable e) {
        if (e instanceof TimeoutException || e.getClass().getSimpleName().contains("Timeout")) {
            return "no answer within " + config.timeout();
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.length() > 500 ? message.substring(0, 500) : message;
    }

    private static Outcome outcome(OffsetDateTime at, long start, Integer status, String error) {
        int latency = (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - start) / 1_000_000);
        return new Outcome(at, status, latency, error);
    }
}
