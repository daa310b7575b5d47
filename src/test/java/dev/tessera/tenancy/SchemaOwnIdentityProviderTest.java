package dev.tessera.tenancy;

import io.quarkus.test.junit.QuarkusTest;

/** {@link OwnIdentityProviderContract} with SCHEMA tenants. */
@QuarkusTest
class SchemaOwnIdentityProviderTest extends OwnIdentityProviderContract {

    @Override
    IsolationMode isolation() {
        return IsolationMode.SCHEMA;
    }
}
