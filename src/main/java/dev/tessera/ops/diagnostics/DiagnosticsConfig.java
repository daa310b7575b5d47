package dev.tessera.ops.diagnostics;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Thresholds of the database diagnostics and of the readiness warning. */
@ConfigMapping(prefix = "tessera.diagnostics")
public interface DiagnosticsConfig {

    /**
     * A transaction in this database open longer than this turns the readiness warning on (it holds back
     * VACUUM and may hold locks). A duration such as {@code 60s} or {@code 5m}. Default: 60s.
     */
    @WithDefault("60s")
    Duration longTransactionThreshold();
}
