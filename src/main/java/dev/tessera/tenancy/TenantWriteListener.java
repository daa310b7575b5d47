package dev.tessera.tenancy;

/**
 * Told after a tenant transaction that may have written has committed: how work that follows a write
 * (sealing the audit chain) learns which tenants to visit, without a query across tenants (RLS
 * forbids one) and without a statement on the write path.
 *
 * <p>Called on the thread that completed the transaction: implementations must only take note
 * (a map entry), never block or start database work inline.
 */
public interface TenantWriteListener {

    /**
     * Actors of the listeners' own bookkeeping transactions (the audit sealer, the event relays). TenantTx
     * tells no listener about them: they write no tenant data, and telling would make two listeners wake
     * each other for ever.
     */
    String FOLLOWER_ACTOR_PREFIX = "system:follower:";

    void committed(TenantContext tenant);
}
