package dev.tessera.customers.crypto;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of PII encryption. */
@ConfigMapping(prefix = "tessera.crypto")
public interface CryptoConfig {

    /**
     * The master key (base64 of 32 random bytes) that wraps every tenant's data keys. Required: the
     * service refuses to start without it, or with another key than the one that wrapped existing keys.
     */
    Optional<String> masterKey();

    /** How long an unwrapped data key stays in memory. Default: 5m. */
    @WithDefault("5m")
    Duration keyCacheTtl();

    /** Refuse to start unless the server is told not to log bind parameters of tessera_app. Default: true. */
    @WithDefault("true")
    boolean requireLogRedaction();
}
