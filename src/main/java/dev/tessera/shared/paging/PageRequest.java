package dev.tessera.shared.paging;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import dev.tessera.shared.error.InvalidInput;
import dev.tessera.shared.id.PublicIds;

/**
 * A validated keyset page request: at most {@code limit} rows after the row the cursor names.
 *
 * <p>The cursor is the last public id of the previous page, base64url-encoded so that clients treat it
 * as opaque (its format may change). Public ids are UUIDv7, so their order is creation order.
 */
public record PageRequest(int limit, UUID after) {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    public static PageRequest of(Integer limit, String cursor) {
        int l = limit == null ? DEFAULT_LIMIT : limit;
        if (l < 1 || l > MAX_LIMIT) {
            throw new InvalidInput("limit", "must be between 1 and " + MAX_LIMIT);
        }
        return new PageRequest(l, cursor == null || cursor.isEmpty() ? null : decode(cursor));
    }

    /** Builds the page from up to limit + 1 rows: the extra row only tells that there is a next page. */
    public <T> Page<T> page(List<T> rows, Function<T, UUID> idOf) {
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<T> items = rows.subList(0, limit);
        return new Page<>(List.copyOf(items), encode(idOf.apply(items.get(limit - 1))));
    }

    static String encode(UUID id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id.toString().getBytes(StandardCharsets.US_ASCII));
    }

    private static UUID decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            return PublicIds.parse("cursor", text);
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("cursor", "is not a cursor this API returned");
        }
    }
}
