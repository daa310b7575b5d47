package dev.tessera.access;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of support access (docs/design/support-access.md). */
@ConfigMapping(prefix = "tessera.support")
public interface SupportConfig {

    /** The longest a support grant may run (never over 7 days, which the table enforces too). Default: PT4H. */
    @WithDefault("PT4H")
    Duration maxDuration();

    /** How long a grant runs when the request names no duration. Default: PT1H. */
    @WithDefault("PT1H")
    Duration defaultDuration();
}
