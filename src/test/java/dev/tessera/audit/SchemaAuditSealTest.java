package dev.tessera.audit;

import dev.tessera.tenancy.IsolationMode;
import io.quarkus.test.junit.QuarkusTest;

/** The sealed audit chain for tenants in the schema mode (a schema each). */
@QuarkusTest
class SchemaAuditSealTest extends AuditSealContract {
    @Override
    IsolationMode isolation() {
        return IsolationMode.SCHEMA;
    }
}
