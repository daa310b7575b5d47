package dev.tessera.access;

import dev.tessera.tenancy.IsolationMode;
import io.quarkus.test.junit.QuarkusTest;

/** The API keys contract for tenants in the SCHEMA isolation mode. */
@QuarkusTest
class SchemaApiKeyTest extends ApiKeyContract {

    @Override
    IsolationMode isolation() {
        return IsolationMode.SCHEMA;
    }
}
