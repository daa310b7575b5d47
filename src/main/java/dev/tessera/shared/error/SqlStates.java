package dev.tessera.shared.error;

import io.vertx.pgclient.PgException;

/** Recognises PostgreSQL errors by SQLSTATE, however the client or Hibernate Reactive wrapped them. */
public final class SqlStates {

    /** unique_violation. */
    public static final String UNIQUE_VIOLATION = "23505";

    /** check_violation: also what the owner functions raise for a change the rules refuse. */
    public static final String CHECK_VIOLATION = "23514";

    /** invalid_parameter_value. */
    public static final String INVALID_PARAMETER_VALUE = "22023";

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

    /**
     * The server's message of the first error with this SQLSTATE among {@code e}'s causes, however
     * wrapped; empty if there is none.
     */
    public static java.util.Optional<String> messageOf(Throwable e, String sqlState) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PgException pg && sqlState.equals(pg.getSqlState())) {
                return java.util.Optional.of(pg.getErrorMessage());
            }
            if (t instanceof org.hibernate.JDBCException j && sqlState.equals(j.getSQLState())) {
                return java.util.Optional.of(j.getSQLException() == null ? j.getMessage() : j.getSQLException().getMessage());
            }
        }
        return java.util.Optional.empty();
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
