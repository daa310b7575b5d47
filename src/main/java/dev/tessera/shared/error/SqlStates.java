package dev.tessera.shared.error;

import io.vertx.pgclient.PgException;

/** Recognises PostgreSQL errors by SQLSTATE, however the client or Hibernate Reactive wrapped them. */
public final class SqlStates {

    /** unique_violation. */
    public static final String UNIQUE_VIOLATION = "23505";

    private SqlStates() {
    }

    public static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())) {
                return true;
            }
            if (t instanceof org.hibernate.exception.ConstraintViolationException cv
                    && UNIQUE_VIOLATION.equals(cv.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
