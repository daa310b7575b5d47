package dev.tessera.orders;

import dev.tessera.tenancy.IsolationMode;
import io.quarkus.test.junit.QuarkusTest;

/** The orders contract, SCHEMA isolation. */
@QuarkusTest
class SchemaOrderResourceTest extends OrderResourceContract {
    @Override
    IsolationMode isolation() {
        return IsolationMode.SCHEMA;
    }
}
