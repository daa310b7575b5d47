package dev.tessera.tenancy;

/** How a tenant's rows are kept apart from the others'. */
public enum IsolationMode {
    /** Rows in schema tessera, separated by row level security on tenant_id. */
    SHARED,
    /** Rows in the tenant's own schema; row level security stays on as a second wall. */
    SCHEMA
}
