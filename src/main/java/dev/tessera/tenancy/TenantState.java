package dev.tessera.tenancy;

/**
 * Lifecycle of a tenant; only ACTIVE tenants are served. OFFBOARDING: not served, data kept until the
 * export window ends; OFFBOARDED: its keys are destroyed (crypto-shredded).
 */
public enum TenantState {
    PROVISIONING, ACTIVE, SUSPENDED, OFFBOARDING, OFFBOARDED
}
