package dev.tessera.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.tessera.testing.PostgresTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;

/** The service refuses to run as a role that could step around row level security. */
@QuarkusTest
class RuntimeRoleCheckTest {

    @Inject
    Vertx vertx;

    @Test
    void refusesASuperuser() {
        var c = ConfigProvider.getConfig();
        String user = c.getValue("tessera.test.admin-user", String.class);
        String password = c.getValue("tessera.test.admin-password", String.class);

        Throwable failure = verifyAs(user, password);

        assertThat(failure).hasMessageContaining("Refusing to start").hasMessageContaining("superuser");
    }

    @Test
    void refusesTheOwnerOfTheTables() {
        Throwable failure = verifyAs("tessera_owner", PostgresTestResource.ROLE_PASSWORD);

        assertThat(failure).hasMessageContaining("Refusing to start").hasMessageContaining("owns");
    }

    @Test
    void refusesANoInheritMemberOfTheOwnerRole() throws Exception {
        String role = "tessera_t_member_" + java.util.UUID.randomUUID().toString().substring(0, 8);
        try {
            createLogin(role, "NOINHERIT", "GRANT tessera_owner TO " + role);

            Throwable failure = verifyAs(role, PASSWORD);

            assertThat(failure).hasMessageContaining("Refusing to start").hasMessageContaining("member of a role that does");
            assertThat(ownerReachedBySetRole(role)).as("the reason for refusing: SET ROLE reaches the owner").isTrue();
        } finally {
            dropRoles(role);
        }
    }

    @Test
    void refusesANoInheritMemberOfASuperuserRole() throws Exception {
        String suffix = java.util.UUID.randomUUID().toString().substring(0, 8);
        String role = "tessera_t_login_" + suffix;
        String superRole = "tessera_t_super_" + suffix;
        try {
            try (var c = dev.tessera.testing.Db.asSuperuser(); var s = c.createStatement()) {
                s.execute("CREATE ROLE " + superRole + " NOLOGIN SUPERUSER");
            }
            createLogin(role, "NOINHERIT", "GRANT " + superRole + " TO " + role);

            Throwable failure = verifyAs(role, PASSWORD);

            assertThat(failure).hasMessageContaining("Refusing to start").hasMessageContaining("superuser or BYPASSRLS role");
        } finally {
            dropRoles(role, superRole);
        }
    }

    @Test
    void acceptsTheAppRole() {
        Throwable failure = verifyAs("tessera_app", PostgresTestResource.ROLE_PASSWORD);

        assertThat(failure).isNull();
    }

    @Test
    void startupCheckFailsLoudly() {
        assertThatThrownBy(() -> {
            Throwable f = verifyAs("tessera_owner", PostgresTestResource.ROLE_PASSWORD);
            if (f != null) {
                throw f;
            }
        }).isInstanceOf(IllegalStateException.class).hasMessageContaining("tessera_app");
    }

    private static final String PASSWORD = "tessera-role-check";

    /** A login role in the test cluster (roles are cluster-wide: the caller drops it), allowed into the test database. */
    private static void createLogin(String role, String attributes, String grant) throws Exception {
        try (var c = dev.tessera.testing.Db.asSuperuser(); var s = c.createStatement()) {
            s.execute("CREATE ROLE " + role + " LOGIN NOSUPERUSER NOBYPASSRLS " + attributes + " PASSWORD '" + PASSWORD + "'");
            s.execute("GRANT CONNECT ON DATABASE " + dev.tessera.testing.Db.databaseName() + " TO " + role);
            s.execute(grant);
        }
    }

    /** Whether the role, logged in, can SET ROLE tessera_owner (and so turn row level security off). */
    private static boolean ownerReachedBySetRole(String role) throws Exception {
        try (var c = java.sql.DriverManager.getConnection(dev.tessera.testing.Db.jdbcUrl(), role, PASSWORD);
                var s = c.createStatement()) {
            s.execute("SET ROLE tessera_owner");
            return "tessera_owner".equals(dev.tessera.testing.Db.column(c, "SELECT current_user").get(0));
        }
    }

    private static void dropRoles(String... roles) throws Exception {
        try (var c = dev.tessera.testing.Db.asSuperuser(); var s = c.createStatement()) {
            for (String role : roles) {
                if (dev.tessera.testing.Db.column(c, "SELECT rolname FROM pg_roles WHERE rolname = ?", role).isEmpty()) {
                    continue;
                }
                s.execute("DROP OWNED BY " + role + " CASCADE");
                s.execute("DROP ROLE IF EXISTS " + role);
            }
        }
    }

    private Throwable verifyAs(String user, String password) {
        String url = ConfigProvider.getConfig().getValue("quarkus.datasource.reactive.url", String.class);
        PgConnectOptions options = PgConnectOptions.fromUri(url).setUser(user).setPassword(password);
        Pool pool = PgBuilder.pool().connectingTo(options).using(vertx).build();
        try {
            new RuntimeRoleCheck().verify(pool).await().atMost(Duration.ofSeconds(10));
            return null;
        } catch (RuntimeException e) {
            return e;
        } finally {
            pool.closeAndAwait();
        }
    }
}
