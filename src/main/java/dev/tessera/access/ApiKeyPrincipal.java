package dev.tessera.access;

import java.util.UUID;

import dev.tessera.tenancy.TenantBoundPrincipal;

/** A request authenticated by an API key: it acts for the key's tenant, as {@code key:<id>}. */
public record ApiKeyPrincipal(UUID keyId, UUID tenantId) implements TenantBoundPrincipal {

    static final String ACTOR_PREFIX = "key:";

    @Override
    public String getName() {
        return ACTOR_PREFIX + keyId;
    }

    /** Whether an actor name (a TenantContext's user id) is an API key's. */
    public static boolean isKeyActor(String actor) {
        return actor.startsWith(ACTOR_PREFIX);
    }
}
