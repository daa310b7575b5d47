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

    /**
     * Settings of each tenant's share of the database connections; the share itself is the plan's
     * ({@code tessera.plans.<plan>.connection-share}).
     */
    interface Share {

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

    /**
     * How a tenant transaction sets its context. {@code set-local}: one call of {@code tessera.enter_tenant},
     * which runs literal {@code SET LOCAL} statements with quoted values; the only way the context reaches
     * the workers of a Citus cluster, and as transaction-local as {@code set_config} on plain PostgreSQL
     * and behind PgBouncer. {@code set-config}: {@code set_config(..., true)} in one SELECT; plain
     * PostgreSQL only (on Citus every row is hidden from it). Default: set-local.
     */
    @WithDefault("set-local")
    ContextStatement context();

    /**
     * Send each one-statement read between BEGIN and COMMIT (pipelined: still one round trip). Required on
     * Citus: it forwards the read function's SET LOCAL to a worker only inside a transaction block, and
     * without it RLS on the worker sees no tenant (no row). Off on plain PostgreSQL and behind PgBouncer,
     * where the statement's implicit transaction is enough. Default: false.
     */
    @WithDefault("false")
    boolean readTransactionBlock();

    /** The two ways of setting a tenant transaction's context ({@link #context()}). */
    enum ContextStatement {
        /** {@code SELECT tessera.enter_tenant($1, $2, $3, $4)}: SET LOCAL, forwarded by Citus. */
        SET_LOCAL,
        /** {@code SELECT set_config(..., true), ...}: never forwarded by Citus. */
        SET_CONFIG
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
