package dev.tessera.orders.publication;

import dev.tessera.tenancy.IsolationMode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The broker feed of order events for tenants in the schema mode. */
@QuarkusTest
@TestProfile(EventPublicationProfile.class)
class SchemaEventPublicationTest extends EventPublicationContract {
    @Override
    IsolationMode isolation() {
        return IsolationMode.SCHEMA;
    }
}
