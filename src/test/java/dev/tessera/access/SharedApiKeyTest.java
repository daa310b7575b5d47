package dev.tessera.access;

import dev.tessera.tenancy.IsolationMode;
import io.quarkus.test.junit.QuarkusTest;

/** The API keys contract for tenants in the SHARED isolation mode. */
@QuarkusTest
class SharedApiKeyTest extends ApiKeyContract {

    @Override
    IsolationMode isolation() {
        return IsolationMode.SHARED;
    }
}
