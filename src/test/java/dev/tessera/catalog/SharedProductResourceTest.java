package dev.tessera.catalog;

import dev.tessera.tenancy.IsolationMode;
import io.quarkus.test.junit.QuarkusTest;

/** The products contract for tenants in the shared schema (RLS). */
@QuarkusTest
class SharedProductResourceTest extends ProductResourceContract {

    @Override
    IsolationMode isolation() {
        return IsolationMode.SHARED;
    }
}
