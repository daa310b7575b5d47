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
