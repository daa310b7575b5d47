package dev.tessera.orders.command;

/** What an order command answered: replayed as is for a retry with the same Idempotency-Key. */
public record CommandOutcome(int status, String body, int version, String location) {

    public String etag() {
        return "\"" + version + "\"";
    }
}
