package dev.tessera.security;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the cache of verified bearer tokens. */
@ConfigMapping(prefix = "tessera.security.token-cache")
public interface TokenCacheConfig {

    /** Whether a verified token is remembered, so that its signature is not checked again. Default: true. */
    @WithDefault("true")
    boolean enabled();

    /**
     * Longest time a verified token is remembered; never past the token's own expiry. It bounds how long
     * a change of a tenant's identity provider settings may take to reach tokens already seen. Default: 60s.
     */
    @WithDefault("60s")
    Duration ttl();

    /** Most tokens remembered at once (one entry is the token text and its identity). Default: 10000. */
    @WithDefault("10000")
    long maximumSize();
}
