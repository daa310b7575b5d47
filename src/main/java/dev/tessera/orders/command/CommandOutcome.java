package dev.tessera.orders.command;

import dev.tessera.orders.domain.Order;

/**
 * What an order command answered: {@code order} is the order after the command; for a retry with the
 * same Idempotency-Key it is null and {@code replayed} holds the first answer's body as stored.
 */
public record CommandOutcome(int status, Order order, String replayed, int version, String location) {

    public String etag() {
        return "\"" + version + "\"";
    }
}
