package dev.tessera.audit;

import dev.tessera.tenancy.IsolationMode;
import io.quarkus.test.junit.QuarkusTest;

/** The audit contract for tenants in the shared schema. */
@QuarkusTest
class SharedAuditTrailTest extends AuditTrailContract {
    @Override
    IsolationMode isolation() {
        return IsolationMode.SHARED;
    }
}
