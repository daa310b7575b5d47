package dev.tessera.security;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits on bearer tokens that hold before any of their content is looked at. */
@ConfigMapping(prefix = "tessera.security.token")
public interface TokenLimitConfig {

    /**
     * Longest bearer token accepted, in bytes of its text; a longer one is refused with 401 before it is
     * decoded, verified or cached. Default: 16K (tokens of identity providers are usually 1-4 KiB).
     */
    @WithDefault("16K")
    MemorySize maxLength();
}
