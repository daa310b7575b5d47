package dev.tessera.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Future;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Every pooled connection carries the flush coalescing, and it does coalesce: three statements sent in
 * one event-loop task reach the socket in one flush, against three once the handler is taken out (the
 * control, which shows that the counter sees each flush).
 */
@QuarkusTest
class FlushCoalescingTest {

    @Inject
    Pool pool;

    @Test
    void pipelinedStatementsLeaveInOneFlush() throws Exception {
        SqlConnection conn = pool.getConnection().await().atMost(Duration.ofSeconds(5));
        try {
            ChannelPipeline pipeline = FlushCoalescing.pipelineOf(conn.getDelegate());
            assertThat(pipeline).as("the client's pipeline is reachable").isNotNull();
            assertThat(pipeline.get(FlushCoalescing.HANDLER)).as("installed by the pool's connect handler").isNotNull();

            AtomicInteger flushes = new AtomicInteger();
            // Nearer the socket than the coalescing handler: counts the flushes that get past it.
            pipeline.addBefore(FlushCoalescing.HANDLER, "test-flush-counter", new ChannelOutboundHandlerAdapter() {
                @Override
                public void flush(ChannelHandlerContext ctx) {
                    flushes.incrementAndGet();
                    ctx.flush();
                }
            });
            try {
                assertThat(threeStatementsInOneTask(conn, pipeline)).containsExactly("1", "2", "3");
                assertThat(flushes.get()).as("flushes with coalescing").isEqualTo(1);

                pipeline.remove(FlushCoalescing.HANDLER);
                flushes.set(0);
                assertThat(threeStatementsInOneTask(conn, pipeline)).containsExactly("1", "2", "3");
                assertThat(flushes.get()).as("flushes without it: one per statement").isEqualTo(3);
            } finally {
                pipeline.remove("test-flush-counter");
                FlushCoalescing.install(conn.getDelegate());
            }
            assertThat(pipeline.get(FlushCoalescing.HANDLER)).isNotNull();
        } finally {
            conn.close().await().atMost(Duration.ofSeconds(5));
        }
    }

    /** Sends three simple queries from one task on the connection's event loop and returns their results. */
    private static List<String> threeStatementsInOneTask(SqlConnection conn, ChannelPipeline pipeline) throws Exception {
        io.vertx.sqlclient.SqlConnection c = conn.getDelegate();
        CompletableFuture<List<String>> done = new CompletableFuture<>();
        pipeline.channel().eventLoop().execute(() -> {
            List<Future<String>> all = List.of(one(c, 1), one(c, 2), one(c, 3));
            Future.all(all).onComplete(ar -> {
                if (ar.failed()) {
                    done.completeExceptionally(ar.cause());
                } else {
                    done.complete(all.stream().map(Future::result).toList());
                }
            });
        });
        return done.get(10, TimeUnit.SECONDS);
    }

    private static Future<String> one(io.vertx.sqlclient.SqlConnection c, int n) {
        return c.query("SELECT " + n + " AS n").execute().map(rows -> String.valueOf(rows.iterator().next().getInteger("n")));
    }
}
