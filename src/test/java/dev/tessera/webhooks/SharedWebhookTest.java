package dev.tessera.webhooks;

import dev.tessera.orders.publication.EventPublicationProfile;
import dev.tessera.tenancy.IsolationMode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Webhooks for tenants in the shared mode (the event publication profile: the feed and the dispatcher on). */
@QuarkusTest
@TestProfile(EventPublicationProfile.class)
class SharedWebhookTest extends WebhookContract {
    @Override
    IsolationMode isolation() {
        return IsolationMode.SHARED;
    }
}
