package dev.tessera.security;

import java.time.Duration;

import io.quarkus.runtime.configuration.MemorySize;
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

    /**
     * Most memory the remembered tokens may take, as estimated by {@link VerifiedTokenCache#weigh}: three
     * times the token's length (its text in the key and in the parsed token, and its decoded claims) plus
     * 1 KiB for the identity around it. The least recently used entries go first. Default: 32M (about
     * 8,000 tokens of 1 KiB, 650 of the longest accepted, 16 KiB).
     */
    @WithDefault("32M")
    MemorySize maximumWeight();
}
