package dev.tessera.tenancy.provisioning;

import io.vertx.pgclient.PgException;

/** Recognises a unique violation however Hibernate Reactive wrapped it. */
final class UniqueViolations {

    private UniqueViolations() {
    }

    static boolean is(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PgException pg && "23505".equals(pg.getSqlState())) {
                return true;
            }
            if (t instanceof org.hibernate.exception.ConstraintViolationException cv && "23505".equals(cv.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
