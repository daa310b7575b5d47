package dev.tessera.tenancy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

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

    /** Each tenant's share of the database connections (TenantConnectionShare). */
    Share share();

    /** Settings of each tenant's share of the database connections. */
    interface Share {

        /**
         * The fraction of the pool's connections ({@code quarkus.datasource.reactive.max-size}) that work for
         * one tenant at a time on an instance (at least one connection); the tenant's further requests wait
         * for one of its own to finish. 1 lets one tenant hold the whole pool. Default: 0.5.
         */
        @WithDefault("0.5")
        double connections();

        /** How many of one tenant's requests may wait for its share; more are refused at once (429). Default: 64. */
        @WithDefault("64")
        int queue();

        /** The longest a request waits for its tenant's share before it is refused (429). Default: 2s. */
        @WithDefault("2s")
        Duration maxWait();

        /**
         * How many tenants get their own series in the per-tenant connection metrics on an instance; the
         * others are counted under {@code tenant="other"}. Default: 100.
         */
        @WithDefault("100")
        int metricTenants();
    }

    /** Tenants that bring their own identity provider. */
    Idp idp();

    /** Settings of tenant identity providers. */
    interface Idp {

        /**
         * Accept http:// issuers and JWKS URLs on any host. Off, https is required except on the allowed
         * hosts. For dev and test set-ups only. Default: false.
         */
        @WithDefault("false")
        boolean allowHttp();

        /**
         * Hosts ({@code host} or {@code host:port}) a tenant identity provider may use although they are
         * loopback, private or link-local, or not on the issuer's origin (for a JWKS URL); http is accepted
         * on them too. Empty by default: every tenant IdP must be a public https host (IdpHostPolicy).
         */
        Optional<List<String>> allowedHosts();

        /**
         * How often each instance reloads the issuers that tenants registered (RegisteredIssuers): a token
         * of any other issuer is refused from that set, with no query. A change made on this instance
         * applies at once; this bounds how long another instance's change takes. Default: 5s.
         */
        @WithDefault("5s")
        Duration issuerRefresh();
    }
}
