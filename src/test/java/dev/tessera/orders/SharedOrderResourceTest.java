package dev.tessera.orders;

import dev.tessera.tenancy.IsolationMode;
import io.quarkus.test.junit.QuarkusTest;

/** The orders contract, SHARED isolation. */
@QuarkusTest
class SharedOrderResourceTest extends OrderResourceContract {
    @Override
    IsolationMode isolation() {
        return IsolationMode.SHARED;
    }
}
