package dev.tessera.access;

import dev.tessera.tenancy.IsolationMode;
import io.quarkus.test.junit.QuarkusTest;

/** The support access contract for tenants in the SHARED isolation mode. */
@QuarkusTest
class SharedSupportAccessTest extends SupportAccessContract {

    @Override
    IsolationMode isolation() {
        return IsolationMode.SHARED;
    }
}
