package dev.tessera.tenancy;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of tenant resolution and of the tenant transaction. */
@ConfigMapping(prefix = "tessera.tenancy")
public interface TenancyConfig {

    /** Token claim that names the tenant (its slug or id). Default: tenant_id. */
    @WithDefault("tenant_id")
    String claim();

    /** Longest time a statement of a tenant transaction may run before PostgreSQL cancels it. Default: 5s. */
    @WithDefault("5s")
    Duration statementTimeout();
}
