package dev.tessera.tenancy;

import java.security.Principal;
import java.util.UUID;

/**
 * A caller that belongs to one tenant by construction (an API key), not by a token's claim. Its name is
 * the actor recorded for what it does ({@code key:<id>}).
 */
public interface TenantBoundPrincipal extends Principal {

    /** The one tenant this caller acts for. */
    UUID tenantId();
}
