package dev.tessera.shared.paging;

import java.util.List;
import java.util.function.Function;

/** One page of a keyset-paginated list; {@code next} is the opaque cursor of the following page, or null. */
public record Page<T>(List<T> items, String next) {

    public <R> Page<R> map(Function<T, R> mapper) {
        return new Page<>(items.stream().map(mapper).toList(), next);
    }
}
