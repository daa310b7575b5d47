package dev.tessera.orders.api;

import java.util.UUID;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request bodies of the orders API. */
public final class OrderRequests {

    private OrderRequests() {
    }

    /** Body of {@code POST /api/orders}. */
    public record CreateOrder(UUID customerId,
            @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as EUR") String currency) {
    }

    /** Body of {@code POST /api/orders/{id}/items}. */
    public record AddItem(@NotNull UUID productId, @NotNull @Min(1) @Max(10000) Integer quantity) {
    }

    /** Body of {@code POST /api/orders/{id}/ship}. */
    public record Ship(@NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9 -]+", message = "must be letters, digits, spaces or '-'") String trackingNumber) {
    }

    /** Body of {@code POST /api/orders/{id}/cancel}. */
    public record Cancel(@NotBlank @Size(max = 500) @Pattern(regexp = "(?s)[^\\x00]*", message = "must not contain NUL") String reason) {
    }
}
