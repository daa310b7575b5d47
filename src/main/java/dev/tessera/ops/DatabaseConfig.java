package dev.tessera.ops;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings for migrations and for the dev-only database bootstrap. */
@ConfigMapping(prefix = "tessera.db")
public interface DatabaseConfig {

    /** Run the Flyway migrations (platform and tenant scripts) when the service starts. Default: true. */
    @WithDefault("true")
    boolean migrateAtStart();

    /** Extra Flyway locations for the platform schema, for example db/dev for the demo tenants of dev mode. */
    Optional<java.util.List<String>> extraPlatformLocations();

    /** Longest wait for a pooled connection before the request fails fast with 503. Default: 2s. */
    @WithDefault("2s")
    java.time.Duration poolAcquireTimeout();

    /** Requests that may wait for a connection at once; more fail at once with 503. Default: 512. */
    @WithDefault("512")
    int poolMaxWaitQueue();

    /**
     * Send the statements that a transaction pipelines in one socket write rather than one write each
     * (Netty's FlushConsolidationHandler on every pooled connection; see FlushCoalescing). Default: true.
     */
    @WithDefault("true")
    boolean coalesceFlushes();

    /** Refuse to start when the runtime role is a superuser, owns tables or can bypass RLS. Default: true. */
    @WithDefault("true")
    boolean roleCheck();

    /** Creating the roles and the database on start: for dev mode only, never in production. */
    Bootstrap bootstrap();

    /** How dev mode prepares its own database when it may connect as a superuser. */
    interface Bootstrap {

        /** Create the roles and the database if missing, before migrating. Default: false (true in dev mode). */
        @WithDefault("false")
        boolean enabled();

        /** JDBC URL of a maintenance database reachable as a superuser, for example jdbc:postgresql://127.0.0.1:5432/postgres. */
        Optional<String> adminUrl();

        /** Superuser name for the bootstrap. Default: postgres. */
        @WithDefault("postgres")
        String adminUser();

        /** Superuser password for the bootstrap; ignored where the server trusts local connections. */
        Optional<String> adminPassword();

        /** Name of the database to create, owned by tessera_owner. */
        @WithDefault("tessera_dev")
        String database();

        /** Password given to tessera_owner and tessera_app when the bootstrap creates them. */
        @WithDefault("tessera-dev")
        String rolePassword();
    }
}
