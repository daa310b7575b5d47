package dev.tessera.shared.sql;

import java.util.List;

import io.smallrye.mutiny.CompositeException;
import io.smallrye.mutiny.Uni;

/**
 * Statements queued on one connection without waiting for each other's results (one round trip): the one
 * place that awaits them.
 */
public final class Pipelined {

    private Pipelined() {
    }

    /**
     * Subscribes {@code inQueueOrder} in that order (so that each sends its statements behind the one
     * before) and completes with the result of the one at {@code resultAt} once every one has completed:
     * no fail-fast, so that nothing is still in flight when COMMIT or ROLLBACK follows, or when the
     * connection goes back. A failure is the first in queue order (later ones usually only say that the
     * transaction was already aborted).
     */
    public static <T> Uni<T> joined(int resultAt, Uni<?>... inQueueOrder) {
        return Uni.combine().all().unis(List.of(inQueueOrder)).collectFailures()
                .with(results -> Pipelined.<T>cast(results.get(resultAt)))
                .onFailure().transform(Pipelined::firstInQueue);
    }

    /**
     * The failure to report for statements pipelined together and awaited with {@code collectFailures}:
     * the first in queue order (later ones usually only say that the transaction was already aborted).
     */
    public static Throwable firstInQueue(Throwable failure) {
        return failure instanceof CompositeException all ? all.getCauses().get(0) : failure;
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }
}
