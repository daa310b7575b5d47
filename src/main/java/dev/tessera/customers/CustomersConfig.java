package dev.tessera.customers;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the customers feature. */
@ConfigMapping(prefix = "tessera.customers")
public interface CustomersConfig {

    /** Rows re-encrypted per transaction during a key rotation. Default: 200. */
    @WithDefault("200")
    int rotationBatchSize();

    /** Pause between rotation batches. Default: 50ms. */
    @WithDefault("50ms")
    Duration rotationPause();
}
