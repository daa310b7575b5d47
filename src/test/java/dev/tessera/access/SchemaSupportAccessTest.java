package dev.tessera.access;

import dev.tessera.tenancy.IsolationMode;
import io.quarkus.test.junit.QuarkusTest;

/** The support access contract for tenants in the SCHEMA isolation mode. */
@QuarkusTest
class SchemaSupportAccessTest extends SupportAccessContract {

    @Override
    IsolationMode isolation() {
        return IsolationMode.SCHEMA;
    }
}
