package dev.tessera.customers;

import dev.tessera.tenancy.IsolationMode;
import io.quarkus.test.junit.QuarkusTest;

/** The customers contract in the shared schema. */
@QuarkusTest
class SharedCustomerResourceTest extends CustomerResourceContract {
    @Override
    IsolationMode isolation() {
        return IsolationMode.SHARED;
    }
}
