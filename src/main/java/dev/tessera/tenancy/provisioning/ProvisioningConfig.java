package dev.tessera.tenancy.provisioning;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of tenant provisioning and of the start-up migration of tenant schemas. */
@ConfigMapping(prefix = "tessera.provisioning")
public interface ProvisioningConfig {

    /** How many tenant schemas are migrated at once on start. Default: 4. */
    @WithDefault("4")
    int migrationParallelism();

    /** Log progress every this many migrated schemas. Default: 25. */
    @WithDefault("25")
    int progressEvery();
}
