package dev.tessera.audit;

import dev.tessera.tenancy.IsolationMode;
import io.quarkus.test.junit.QuarkusTest;

/** The audit contract for tenants with a dedicated schema. */
@QuarkusTest
class SchemaAuditTrailTest extends AuditTrailContract {
    @Override
    IsolationMode isolation() {
        return IsolationMode.SCHEMA;
    }
}
