package dev.tessera.access;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of tenants' API keys (docs/design/api-keys.md). */
@ConfigMapping(prefix = "tessera.api-keys")
public interface ApiKeysConfig {

    /**
     * Base64 of at least 32 random bytes: the key of the HMAC that turns a key into the hash the database
     * holds. Required; the database never sees it, so a stolen copy of the table cannot be checked against
     * guesses. Changing it makes every existing key fail.
     */
    String pepper();

    /**
     * How long a replica remembers a key it looked up: a revocation or rotation made through another
     * replica (or in the database) takes at most this long to reach this one; the replica that revoked
     * forgets at once. Default: 5s.
     */
    @WithDefault("5s")
    Duration cacheTtl();

    /** The longest grace period a rotation may give the previous secret. Default: P7D. */
    @WithDefault("P7D")
    Duration maxGracePeriod();

    /**
     * How often the uses of keys are written to last_used_at, in one statement for every key used (a
     * duration such as 30s, or off: only at shutdown; the tests flush by hand). Default: 30s. Read by the
     * scheduler, as text.
     */
    @WithDefault("30s")
    String lastUsedFlush();
}
