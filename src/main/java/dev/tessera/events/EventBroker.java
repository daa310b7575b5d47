package dev.tessera.events;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.core.json.JsonObject;

/**
 * The outgoing channel {@value #CHANNEL} of SmallRye Reactive Messaging: the RabbitMQ connector with
 * publisher confirms by default, any other connector by configuration.
 */
@ApplicationScoped
public class EventBroker {

    public static final String CHANNEL = "tessera-events";

    private final MutinyEmitter<JsonObject> emitter;

    EventBroker(@Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
            MutinyEmitter<JsonObject> emitter) {
        this.emitter = emitter;
    }

    /**
     * Sends every message and completes once the broker has confirmed all of them (the connector acks
     * a message only on the broker's confirm when {@code publish-confirms} is on); fails if one is
     * refused or not confirmed within {@code timeout}.
     */
    public Uni<Void> publish(List<Message<JsonObject>> messages, Duration timeout) {
        if (messages.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Uni<Void>> sent = messages.stream().map(emitter::sendMessage).toList();
        return Uni.join().all(sent).andCollectFailures().replaceWithVoid()
                .ifNoItem().after(timeout).failWith(() -> new IllegalStateException(
                        "The broker did not confirm " + messages.size() + " messages within " + timeout));
    }
}
