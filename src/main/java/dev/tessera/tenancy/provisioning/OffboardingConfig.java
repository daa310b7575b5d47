package dev.tessera.tenancy.provisioning;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of tenant offboarding and of the crypto-shredding that ends it. */
@ConfigMapping(prefix = "tessera.offboarding")
public interface OffboardingConfig {

    /**
     * How long an offboarding tenant's data stays readable (for export) before its keys are destroyed,
     * when the request names no window. Keep keystore backups no longer than this. Default: P30D.
     */
    @WithDefault("P30D")
    Duration exportWindow();

    /** The longest export window a request may ask for. Default: P90D. */
    @WithDefault("P90D")
    Duration maxExportWindow();

    /** How often the job looks for tenants whose keys are due to be destroyed ("off" disables it). Default: 10m. */
    @WithDefault("10m")
    String shredEvery();
}
