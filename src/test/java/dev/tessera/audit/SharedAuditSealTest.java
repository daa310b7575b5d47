package dev.tessera.audit;

import dev.tessera.tenancy.IsolationMode;
import io.quarkus.test.junit.QuarkusTest;

/** The sealed audit chain for tenants in the shared schema. */
@QuarkusTest
class SharedAuditSealTest extends AuditSealContract {
    @Override
    IsolationMode isolation() {
        return IsolationMode.SHARED;
    }
}
