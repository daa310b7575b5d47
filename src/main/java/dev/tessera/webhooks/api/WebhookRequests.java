package dev.tessera.webhooks.api;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import dev.tessera.orders.domain.OrderEvent;
import dev.tessera.shared.error.InvalidInput;

/** Request bodies of the webhooks API. */
public final class WebhookRequests {

    /** The order event types an endpoint may ask for (the names of the event records). */
    static final Set<String> EVENT_TYPES = Arrays.stream(OrderEvent.class.getPermittedSubclasses()).map(Class::getSimpleName)
            .collect(Collectors.toUnmodifiableSet());

    private WebhookRequests() {
    }

    /** Body of {@code POST /api/webhooks}: eventTypes absent or empty means every type; enabled defaults to true. */
    public record CreateEndpoint(@NotBlank @Size(max = 2000) String url, @Size(max = 20) List<@NotNull String> eventTypes,
            Boolean enabled) {

        List<String> types() {
            return checked(eventTypes == null ? List.of() : eventTypes);
        }
    }

    /** Body of {@code PATCH /api/webhooks/{id}}: absent or null fields stay as they are. */
    public record UpdateEndpoint(@Size(min = 1, max = 2000) String url, @Size(max = 20) List<@NotNull String> eventTypes,
            Boolean enabled) {

        boolean isEmpty() {
            return url == null && eventTypes == null && enabled == null;
        }

        List<String> types() {
            return eventTypes == null ? null : checked(eventTypes);
        }
    }

    /** Body of {@code POST /api/webhooks/{id}/replay}: the deliveries created in [from, to), ISO-8601 with offset. */
    public record ReplayRange(@NotNull java.time.OffsetDateTime from, @NotNull java.time.OffsetDateTime to) {
    }

    static List<String> checked(List<String> types) {
        for (String t : types) {
            if (!EVENT_TYPES.contains(t)) {
                throw new InvalidInput("eventTypes", "must name order event types: " + String.join(", ",
                        EVENT_TYPES.stream().sorted().toList()));
            }
        }
        return List.copyOf(Set.copyOf(types)).stream().sorted().toList();
    }
}
