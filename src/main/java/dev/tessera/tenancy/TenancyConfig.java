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

    /** Tenants that bring their own identity provider. */
    Idp idp();

    /** Settings of tenant identity providers. */
    interface Idp {

        /**
         * Accept http:// issuers and JWKS URLs on any host. Off, https is required except on 127.0.0.1,
         * ::1 and localhost. For dev and test set-ups only. Default: false.
         */
        @WithDefault("false")
        boolean allowHttp();

        /**
         * How often each instance reloads the issuers that tenants registered (RegisteredIssuers): a token
         * of any other issuer is refused from that set, with no query. A change made on this instance
         * applies at once; this bounds how long another instance's change takes. Default: 5s.
         */
        @WithDefault("5s")
        Duration issuerRefresh();
    }
}
