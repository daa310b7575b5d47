package dev.tessera.shared.error;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;

import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

/**
 * Tells a database that is unreachable, restarting or out of connections (503: retry later) from a
 * bug (500), by exception type and SQLSTATE, never by the wording of a message a library may change.
 *
 * <p>Two cases have no type of their own: when no connection frees up within the pool's acquire timeout,
 * the Vert.x SQL client (4.5) fails with {@code Future.failedFuture("Timeout")}, that is a bare
 * {@link NoStackTraceThrowable} (an {@code impl} class) with the message {@code Timeout}; and a statement
 * sent on a connection already seen closed fails the same way ("Connection is not active now, current
 * status: CLOSED"). Those checks are kept narrow (the exact class and the whole message) and DatabaseUnavailableTest raises the
 * real timeout from a real pool, so an upgrade that changes it fails the build instead of silently
 * turning a 503 into a 500.
 */
public final class DatabaseUnavailable {

    private DatabaseUnavailable() {
    }

    /** Whether {@code e}, or any of its causes, says that no working connection could be had. */
    public static boolean causedBy(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PgException pg ? sessionEnded(pg) : noConnection(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The server ended or refused the session: a FATAL error (such as "database is not accepting
     * connections", 55000, at connect time, or 57P01 when a restart terminates the backend), a
     * connection exception (class 08), too many connections (53300) or a server starting up or
     * shutting down (57P01-57P03). None is the client's doing, and each passes.
     */
    public static boolean sessionEnded(PgException e) {
        String state = e.getSqlState() == null ? "" : e.getSqlState();
        return "FATAL".equals(e.getSeverity()) || "PANIC".equals(e.getSeverity()) || state.startsWith("08")
                || state.equals("53300") || state.startsWith("57P0");
    }

    private static boolean noConnection(Throwable t) {
        return t instanceof ConnectionPoolTooBusyException // the pool's wait queue is full
                || acquireTimedOut(t)
                // Refused or timed out while connecting (Netty's exceptions for both are ConnectExceptions).
                || t instanceof ConnectException
                || t instanceof ClosedConnectionException
                // The server closed the socket under a write (restart, pg_terminate_backend): Netty reports a
                // bare IOException ("Connection reset by peer", "Broken pipe"); JSON errors are subclasses, not this.
                || t.getClass() == IOException.class || t instanceof SocketException;
    }

    private static boolean acquireTimedOut(Throwable t) {
        return t.getClass() == NoStackTraceThrowable.class && ("Timeout".equals(t.getMessage())
                // A statement sent on a connection the client has already seen closed (the server ended the
                // session): Vert.x 4.5 reports it the same typeless way. DatabaseUnavailableTest meets both
                // orders of a terminated backend (closed before or under the statement).
                || t.getMessage() != null && t.getMessage().startsWith("Connection is not active now, current status: CLOSED"));
    }
}
