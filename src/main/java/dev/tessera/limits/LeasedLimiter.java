package dev.tessera.limits;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.smallrye.mutiny.Uni;

/**
 * The shared buckets at the cost of a Redis round trip per lease instead of one per request. When a
 * request finds no token of a bucket in this instance's lease, it takes a slice of the bucket from Redis
 * at once ({@link #slice}: the bucket's rate times {@code tessera.limits.lease}, at most a tenth of its
 * burst, at least one), uses one token and keeps the rest; the next requests use the kept tokens without
 * asking Redis, and when half a slice is left the next slice is fetched ahead, off the request's path.
 *
 * <p>Nothing is admitted that Redis has not counted: a token is taken from the shared bucket before it is
 * used. Leased tokens are used within {@link #LIFETIME_NANOS} or dropped (they were counted, so dropping
 * them only admits less). So across all replicas the admissions of any period are at most those Redis
 * counted in that period and the second before it: each replica can run at most one slice ahead of the
 * shared bucket, and one unused slice per replica is lost when traffic stops. A slice of one token (low
 * rates: every production plan's subject limits, the free plan) is exactly the per-request check, and a
 * refusal comes from Redis, or from what Redis said at the last refusal: until the moment it named for a
 * bucket's next token, this instance refuses that bucket's requests itself, and after it one request asks
 * Redis again while the others are still refused here, so a tenant flooding past its limit costs about
 * one round trip per replica per freed token, not one per request. A request whose buckets are partly
 * leased takes those tokens first and gives them back if Redis refuses another of its buckets.
 *
 * <p>Bounded like the local limiter: the least recently used leases are dropped past
 * {@code tessera.limits.local-max-keys}.
 */
final class LeasedLimiter {

    /** How long leased tokens may wait for a request: then they are dropped. */
    static final long LIFETIME_NANOS = 1_000_000_000L;

    private final RedisLimiter redis;
    private final double leaseSeconds;
    private final Map<String, Lease> leases;

    LeasedLimiter(RedisLimiter redis, double leaseSeconds, int maxKeys) {
        this.redis = redis;
        this.leaseSeconds = leaseSeconds;
        this.leases = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Lease> eldest) {
                return size() > maxKeys;
            }
        };
    }

    /** Tokens of one bucket taken from Redis at once: rate x lease, at most burst / 10, at least 1. */
    static long slice(TenantLimits.Rate rate, double leaseSeconds) {
        return Math.max(1, Math.min((long) (rate.perSecond() * leaseSeconds), rate.burst() / 10));
    }

    /** This instance's tokens of one bucket, and the bucket's state when Redis last granted some. */
    private static final class Lease {
        long tokens;
        long expiresNanos;
        long remaining;
        long resetMicros;
        long grantedNanos;
        boolean refilling;
        /** Until when Redis said the bucket has no token free (System.nanoTime(); 0 if it did not). */
        long refusedUntilNanos;
        /** After a refusal, one request asks Redis again at a time: the others are refused here meanwhile. */
        boolean probing;
    }

    /** Admits the request if every bucket has a token for it, leased here or taken from Redis now. */
    Uni<Decision> check(List<Bucket> buckets) {
        long now = System.nanoTime();
        Lease[] reserved = new Lease[buckets.size()];
        List<Bucket> refill = new ArrayList<>(0);
        List<Integer> missing = reserve(buckets, reserved, refill, now);
        if (missing == null) {
            return Uni.createFrom().item(refusedHere(buckets, now));
        }
        if (missing.isEmpty()) {
            refill.forEach(this::refill);
            return Uni.createFrom().item(decision(buckets, reserved, null, null, now));
        }
        List<Bucket> asked = new ArrayList<>(missing.size());
        long[] wants = new long[missing.size()];
        for (int j = 0; j < missing.size(); j++) {
            Bucket b = buckets.get(missing.get(j));
            asked.add(b);
            wants[j] = slice(b.rate(), leaseSeconds);
        }
        return redis.take(asked, wants)
                .onFailure().invoke(e -> {
                    release(reserved);
                    probed(asked);
                })
                .map(grant -> {
                    if (grant.decision().admitted()) {
                        leased(asked, missing, grant, reserved, now);
                    } else {
                        release(reserved);
                        refused(asked, grant, now);
                    }
                    return decision(buckets, reserved, missing, grant, now);
                });
    }

    /**
     * Takes a leased token of every bucket that has one; returns the positions of those that have none,
     * or null (having taken nothing) if a bucket is known to have no token free. If none is missing,
     * marks the leases that are down to half a slice for a refill.
     */
    private synchronized List<Integer> reserve(List<Bucket> buckets, Lease[] reserved, List<Bucket> refill, long now) {
        for (Bucket b : buckets) {
            Lease lease = leases.get(b.key());
            if (lease != null && lease.refusedUntilNanos != 0 && (now - lease.refusedUntilNanos < 0 || lease.probing)) {
                return null;
            }
        }
        List<Integer> missing = new ArrayList<>(0);
        for (int i = 0; i < buckets.size(); i++) {
            Lease lease = leases.get(buckets.get(i).key());
            if (lease != null && lease.tokens > 0 && now - lease.expiresNanos < 0) {
                lease.tokens--;
                reserved[i] = lease;
            } else {
                missing.add(i);
                if (lease != null && lease.refusedUntilNanos != 0) {
                    lease.probing = true;
                }
            }
        }
        if (missing.isEmpty()) {
            for (int i = 0; i < buckets.size(); i++) {
                Lease lease = reserved[i];
                long slice = slice(buckets.get(i).rate(), leaseSeconds);
                if (slice > 1 && !lease.refilling && lease.tokens <= slice / 2) {
                    lease.refilling = true;
                    refill.add(buckets.get(i));
                }
            }
        }
        return missing;
    }

    /** Gives back the tokens a request took of its leases (another of its buckets refused it, or Redis failed). */
    private synchronized void release(Lease[] reserved) {
        for (int i = 0; i < reserved.length; i++) {
            if (reserved[i] != null) {
                reserved[i].tokens++;
                reserved[i] = null;
            }
        }
    }

    /** Keeps what Redis granted beyond this request's own token, as leases of this instance. */
    private synchronized void leased(List<Bucket> asked, List<Integer> positions, RedisLimiter.Grant grant,
            Lease[] reserved, long now) {
        for (int j = 0; j < asked.size(); j++) {
            Lease lease = add(asked.get(j).key(), grant.granted()[j] - 1, grant.decision().policies().get(j), now);
            reserved[positions.get(j)] = lease;
        }
    }

    /**
     * Remembers, for each bucket that refused, when its next token is free (GCRA: the moment the bucket's
     * theoretical arrival time less its burst reaches the interval): until then only time can free one, so
     * this instance refuses the bucket's requests itself, without a round trip. Exact, whatever the slice.
     */
    private synchronized void refused(List<Bucket> asked, RedisLimiter.Grant grant, long now) {
        for (int j = 0; j < asked.size(); j++) {
            Decision.PolicyState state = grant.decision().policies().get(j);
            if (state.refused()) {
                TenantLimits.Rate rate = asked.get(j).rate();
                long waitMicros = state.resetMicros() + rate.intervalMicros() - rate.burst() * rate.intervalMicros();
                Lease lease = leases.computeIfAbsent(asked.get(j).key(), k -> new Lease());
                lease.refusedUntilNanos = now + Math.max(1, waitMicros) * 1_000;
                lease.probing = false;
                lease.resetMicros = state.resetMicros();
                lease.grantedNanos = now;
                lease.remaining = 0;
            }
        }
    }

    /** The probe's answer did not come: the next request may ask Redis again. */
    private synchronized void probed(List<Bucket> asked) {
        for (Bucket b : asked) {
            Lease lease = leases.get(b.key());
            if (lease != null) {
                lease.probing = false;
            }
        }
    }

    /**
     * The refusal of a request one of whose buckets is known to have no token free (or is being asked for
     * by another request after a refusal), decided here.
     */
    private synchronized Decision refusedHere(List<Bucket> buckets, long now) {
        long wait = 0;
        List<Decision.PolicyState> states = new ArrayList<>(buckets.size());
        for (Bucket b : buckets) {
            Lease lease = leases.get(b.key());
            boolean refused = lease != null && lease.refusedUntilNanos != 0
                    && (now - lease.refusedUntilNanos < 0 || lease.probing);
            if (refused) {
                wait = Math.max(wait, (lease.refusedUntilNanos - now) / 1_000);
            }
            states.add(stateOf(b, lease, refused, now));
        }
        return new Decision(false, Math.max(1, wait), List.copyOf(states), true);
    }

    private Lease add(String key, long tokens, Decision.PolicyState state, long now) {
        Lease lease = leases.computeIfAbsent(key, k -> new Lease());
        lease.refusedUntilNanos = 0;
        lease.probing = false;
        if (now - lease.expiresNanos >= 0) {
            lease.tokens = 0;
        }
        lease.tokens += tokens;
        lease.expiresNanos = now + LIFETIME_NANOS;
        lease.remaining = state.remaining();
        lease.resetMicros = state.resetMicros();
        lease.grantedNanos = now;
        return lease;
    }

    /** Fetches the next slice of a bucket ahead of need; a refusal or a failure leaves the lease as it is. */
    private void refill(Bucket bucket) {
        redis.take(List.of(bucket), new long[] { slice(bucket.rate(), leaseSeconds) }).subscribe().with(grant -> {
            synchronized (this) {
                if (grant.decision().admitted()) {
                    add(bucket.key(), grant.granted()[0], grant.decision().policies().get(0), System.nanoTime()).refilling = false;
                } else {
                    clearRefilling(bucket);
                }
            }
        }, failure -> {
            synchronized (this) {
                clearRefilling(bucket);
            }
        });
    }

    private void clearRefilling(Bucket bucket) {
        Lease lease = leases.get(bucket.key());
        if (lease != null) {
            lease.refilling = false;
        }
    }

    /**
     * The request's decision: each policy as Redis answered it now (the buckets it was asked for) or as
     * the lease knows it (the shared bucket's remaining tokens at the last grant, plus this instance's).
     */
    private synchronized Decision decision(List<Bucket> buckets, Lease[] reserved, List<Integer> asked,
            RedisLimiter.Grant grant, long now) {
        boolean admitted = grant == null || grant.decision().admitted();
        List<Decision.PolicyState> states = new ArrayList<>(buckets.size());
        for (int i = 0; i < buckets.size(); i++) {
            int j = asked == null ? -1 : asked.indexOf(i);
            Bucket b = buckets.get(i);
            if (j >= 0 && !admitted) {
                states.add(grant.decision().policies().get(j));
                continue;
            }
            Lease lease = j >= 0 || reserved[i] == null ? leases.get(b.key()) : reserved[i];
            states.add(stateOf(b, lease, false, now));
        }
        return new Decision(admitted, admitted ? 0 : grant.decision().retryAfterMicros(), List.copyOf(states), true);
    }

    /**
     * A policy as the lease knows it: the shared bucket's remaining tokens at the last grant plus this
     * instance's (none if refused), and the time to full as of that grant, less the time since.
     */
    private static Decision.PolicyState stateOf(Bucket b, Lease lease, boolean refused, long now) {
        if (lease == null) {
            return new Decision.PolicyState(b.policy(), b.rate(), 0, 0, refused);
        }
        long reset = Math.max(0, lease.resetMicros - (now - lease.grantedNanos) / 1_000);
        return new Decision.PolicyState(b.policy(), b.rate(), refused ? 0 : lease.remaining + lease.tokens, reset, refused);
    }

    /** The tokens this instance holds of a bucket now, expired or not (for tests). */
    synchronized long tokens(String key) {
        Lease lease = leases.get(key);
        return lease == null ? 0 : lease.tokens;
    }
}
