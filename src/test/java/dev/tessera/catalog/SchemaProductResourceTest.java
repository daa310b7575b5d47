package dev.tessera.catalog;

import dev.tessera.tenancy.IsolationMode;
import io.quarkus.test.junit.QuarkusTest;

/** The products contract for tenants with a dedicated schema (search_path, RLS as a second wall). */
@QuarkusTest
class SchemaProductResourceTest extends ProductResourceContract {

    @Override
    IsolationMode isolation() {
        return IsolationMode.SCHEMA;
    }
}
