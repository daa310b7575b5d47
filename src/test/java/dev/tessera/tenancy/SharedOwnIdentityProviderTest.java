package dev.tessera.tenancy;

import io.quarkus.test.junit.QuarkusTest;

/** {@link OwnIdentityProviderContract} with SHARED tenants. */
@QuarkusTest
class SharedOwnIdentityProviderTest extends OwnIdentityProviderContract {

    @Override
    IsolationMode isolation() {
        return IsolationMode.SHARED;
    }
}
