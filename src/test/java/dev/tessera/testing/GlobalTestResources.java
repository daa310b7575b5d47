package dev.tessera.testing;

import io.quarkus.test.common.QuarkusTestResource;

/** Registers the PostgreSQL test resource for every {@code @QuarkusTest} of the module. */
@QuarkusTestResource(PostgresTestResource.class)
public final class GlobalTestResources {
    private GlobalTestResources() {
    }
}
