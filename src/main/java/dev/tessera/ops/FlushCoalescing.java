package dev.tessera.ops;

import org.jboss.logging.Logger;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.impl.Connection;
import io.vertx.sqlclient.impl.SocketConnectionBase;
import io.vertx.sqlclient.impl.SqlConnectionBase;

/**
 * One socket write for the statements a transaction pipelines, instead of one each.
 *
 * <p>The reactive client flushes every statement it is given as soon as it is given: TenantTx sends
 * BEGIN, the tenant context and the reads of a command together, then the writes and COMMIT together,
 * and each went out in a {@code write} of its own (seven per order command). On loopback each write
 * also runs the receiving side's TCP path and can wake PostgreSQL; async-profiler put these writes at a
 * fifth of the service's CPU during order commands. Netty's {@link FlushConsolidationHandler}, placed
 * between the client's codec and the socket, holds the flushes until the end of the event-loop task
 * that issued them (or of the read that triggered them, for statements sent from a result's callback),
 * then flushes once. Nothing waits longer than the task that is already running, and what reaches
 * PostgreSQL, and in which order, does not change.
 *
 * <p>The client has no public hook for its channel pipeline, so this reaches it through the client's
 * implementation classes. If they change shape in a later Vert.x, {@link #install} returns false and
 * logs once; the connection then works as before, only without the coalescing.
 */
final class FlushCoalescing {

    static final String HANDLER = "tessera-flush-coalescing";
    private static final Logger LOG = Logger.getLogger(FlushCoalescing.class);
    // Flushes held at most: a long pipelined batch (a batch insert) still goes out in pieces.
    private static final int MAX_HELD_FLUSHES = 64;
    private static volatile boolean warned;

    private FlushCoalescing() {
    }

    /** Puts the handler in front of the connection's codec; false (and a warning, once) if it cannot. */
    static boolean install(SqlConnection conn) {
        ChannelPipeline pipeline = pipelineOf(conn);
        if (pipeline == null || pipeline.get("codec") == null) {
            if (!warned) {
                warned = true;
                LOG.warn("Cannot reach the database connection's channel pipeline (a changed Vert.x SQL client?): "
                        + "each pipelined statement is written on its own; set tessera.db.coalesce-flushes=false to silence this");
            }
            return false;
        }
        if (pipeline.get(HANDLER) == null) {
            pipeline.addBefore("codec", HANDLER, new FlushConsolidationHandler(MAX_HELD_FLUSHES, true));
        }
        return true;
    }

    /** The Netty pipeline under a pooled or plain connection of the PostgreSQL client, or null. */
    static ChannelPipeline pipelineOf(SqlConnection conn) {
        if (!(conn instanceof SqlConnectionBase<?> base)) {
            return null;
        }
        Connection inner = base.unwrap();
        for (int i = 0; i < 4 && !(inner instanceof SocketConnectionBase) && inner != null && inner.unwrap() != inner; i++) {
            inner = inner.unwrap();
        }
        return inner instanceof SocketConnectionBase socket ? socket.socket().channelHandlerContext().pipeline() : null;
    }
}
