package dev.tessera.tenancy;

/** Lifecycle of a tenant; only ACTIVE tenants are served. */
public enum TenantState {
    PROVISIONING, ACTIVE, SUSPENDED, OFFBOARDED
}
