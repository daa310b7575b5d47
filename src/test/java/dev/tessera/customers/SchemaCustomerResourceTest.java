package dev.tessera.customers;

import dev.tessera.tenancy.IsolationMode;
import io.quarkus.test.junit.QuarkusTest;

/** The customers contract with dedicated schemas. */
@QuarkusTest
class SchemaCustomerResourceTest extends CustomerResourceContract {
    @Override
    IsolationMode isolation() {
        return IsolationMode.SCHEMA;
    }
}
