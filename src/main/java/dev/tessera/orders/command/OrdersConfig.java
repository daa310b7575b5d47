package dev.tessera.orders.command;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the orders feature. */
@ConfigMapping(prefix = "tessera.orders")
public interface OrdersConfig {

    /** How long an Idempotency-Key is remembered. Default: 24h. */
    @WithDefault("24h")
    Duration idempotencyTtl();
}
