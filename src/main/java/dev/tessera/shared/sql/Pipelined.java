package dev.tessera.shared.sql;

import io.smallrye.mutiny.CompositeException;

/** Statements queued on one connection without waiting for each other's results (one round trip). */
public final class Pipelined {

    private Pipelined() {
    }

    /**
     * The failure to report for statements pipelined together and awaited with {@code collectFailures}:
     * the first in queue order (later ones usually only say that the transaction was already aborted).
     */
    public static Throwable firstInQueue(Throwable failure) {
        return failure instanceof CompositeException all ? all.getCauses().get(0) : failure;
    }
}
