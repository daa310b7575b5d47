package dev.tessera.shared.error;

import io.vertx.pgclient.PgException;

/** Recognises PostgreSQL errors by SQLSTATE, however the client or Hibernate Reactive wrapped them. */
public final class SqlStates {

    /** unique_violation. */
    public static final String UNIQUE_VIOLATION = "23505";

    private SqlStates() {
    }

    /** Whether {@code e} is a unique violation of the named constraint or unique index. */
    public static boolean isUniqueViolationOf(Throwable e, String constraint) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())) {
                return constraint.equals(pg.getConstraint());
            }
            if (t instanceof org.hibernate.exception.ConstraintViolationException cv
                    && UNIQUE_VIOLATION.equals(cv.getSQLState())) {
                return constraint.equals(cv.getConstraintName()) || (cv.getConstraintName() == null
                        && cv.getMessage() != null && cv.getMessage().contains(constraint));
            }
        }
        return false;
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
