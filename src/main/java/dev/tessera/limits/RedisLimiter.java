package dev.tessera.limits;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * The shared buckets: one Lua script (limits/gcra.lua) per call, atomic in Redis, so every replica
 * counts against the same buckets. A call takes one token of each bucket ({@link #check}) or several at
 * once ({@link #take}, the leases of {@link LeasedLimiter}). It is answered within {@code timeout} or fails
 * with a {@link TimeoutException}; it never waits longer, whatever Redis does. Answers arrive on the
 * caller's Vert.x context. The script is sent by its SHA1 and loaded once per Redis (EVAL on NOSCRIPT).
 * Not final: tests count its round trips.
 */
class RedisLimiter {

    static final String SCRIPT = load("limits/gcra.lua");
    static final String SHA = sha1(SCRIPT);

    private final Redis redis;
    private final Vertx vertx;
    private final long timeoutMillis;

    RedisLimiter(Redis redis, Vertx vertx, long timeoutMillis) {
        this.redis = redis;
        this.vertx = vertx;
        this.timeoutMillis = Math.max(1, timeoutMillis);
    }

    /**
     * What a {@link #take} got: the decision (its policies in the order of the buckets asked for) and, if
     * admitted, the tokens granted of each bucket (at least one each, at most what was asked for).
     */
    record Grant(Decision decision, long[] granted) {
    }

    /** Counts one request against every bucket if all admit it (one round trip); fails on error or timeout. */
    Uni<Decision> check(List<Bucket> buckets) {
        long[] one = new long[buckets.size()];
        Arrays.fill(one, 1);
        return take(buckets, one).map(Grant::decision);
    }

    /**
     * Takes up to {@code wants[i]} tokens of each bucket, at least one of each, or nothing at all if a
     * bucket has none free (one round trip); fails on error or timeout.
     */
    Uni<Grant> take(List<Bucket> buckets, long[] wants) {
        Context caller = Vertx.currentContext();
        return Uni.createFrom().emitter(emitter -> {
            AtomicBoolean done = new AtomicBoolean();
            long timer = vertx.setTimer(timeoutMillis, id -> {
                if (done.compareAndSet(false, true)) {
                    resume(caller, () -> emitter.fail(new TimeoutException("Redis did not answer within " + timeoutMillis + " ms")));
                }
            });
            eval(buckets, wants).onComplete(ar -> {
                if (!done.compareAndSet(false, true)) {
                    return;
                }
                vertx.cancelTimer(timer);
                if (ar.succeeded()) {
                    Grant decision;
                    try {
                        decision = grant(buckets, ar.result());
                    } catch (RuntimeException e) {
                        resume(caller, () -> emitter.fail(e));
                        return;
                    }
                    resume(caller, () -> emitter.complete(decision));
                } else {
                    resume(caller, () -> emitter.fail(ar.cause()));
                }
            });
        });
    }

    private Future<Response> eval(List<Bucket> buckets, long[] wants) {
        return redis.send(request(Command.EVALSHA, SHA, buckets, wants)).recover(e -> e.getMessage() != null
                && e.getMessage().startsWith("NOSCRIPT")
                        ? redis.send(request(Command.EVAL, SCRIPT, buckets, wants))
                        : Future.failedFuture(e));
    }

    private static Request request(Command command, String script, List<Bucket> buckets, long[] wants) {
        Request r = Request.cmd(command).arg(script).arg(buckets.size());
        buckets.forEach(b -> r.arg(b.key()));
        for (int i = 0; i < buckets.size(); i++) {
            Bucket b = buckets.get(i);
            r.arg(b.rate().intervalMicros()).arg(b.rate().burst()).arg(Math.max(1, wants[i]));
        }
        return r;
    }

    private static Grant grant(List<Bucket> buckets, Response r) {
        if (r == null || r.size() != 2 + 3 * buckets.size()) {
            throw new IllegalStateException("Unexpected answer of the rate limit script");
        }
        boolean admitted = r.get(0).toInteger() == 1;
        long[] granted = new long[buckets.size()];
        List<Decision.PolicyState> states = new ArrayList<>(buckets.size());
        for (int i = 0; i < buckets.size(); i++) {
            Bucket b = buckets.get(i);
            granted[i] = admitted ? r.get(2 + 3 * i).toLong() : 0;
            long remaining = r.get(3 + 3 * i).toLong();
            states.add(new Decision.PolicyState(b.policy(), b.rate(), Math.max(0, remaining),
                    Math.max(0, r.get(4 + 3 * i).toLong()), remaining < 0));
        }
        return new Grant(new Decision(admitted, r.get(1).toLong(), List.copyOf(states), true), granted);
    }

    private static void resume(Context caller, Runnable action) {
        if (caller == null || caller == Vertx.currentContext()) {
            action.run();
        } else {
            caller.runOnContext(v -> action.run());
        }
    }

    private static String load(String resource) {
        try (InputStream in = RedisLimiter.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
