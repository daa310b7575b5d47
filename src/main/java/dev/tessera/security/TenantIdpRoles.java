package dev.tessera.security;

import java.util.HashSet;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.tenancy.idp.OidcTenantIds;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Takes {@code platform-admin} and {@code platform-support} away from identities verified by a tenant's own
 * identity provider.
 *
 * <p>A tenant administers its own IdP and could put any role into its tokens; platform administration
 * must only ever be granted by the platform IdP, and so must support access. Tenant roles ({@code tenant-member}, {@code tenant-admin},
 * {@code pii-reader}) are read from the same claims as the platform's and kept.
 */
@ApplicationScoped
public class TenantIdpRoles implements SecurityIdentityAugmentor {

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || OidcTenantIds.tenantOf(identity).isEmpty()
                || !(identity.getRoles().contains(Roles.PLATFORM_ADMIN) || identity.getRoles().contains(Roles.PLATFORM_SUPPORT))) {
            return Uni.createFrom().item(identity);
        }
        Set<String> roles = new HashSet<>(identity.getRoles());
        roles.remove(Roles.PLATFORM_ADMIN);
        roles.remove(Roles.PLATFORM_SUPPORT);
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder()
                .setPrincipal(identity.getPrincipal())
                .addRoles(roles)
                .addCredentials(identity.getCredentials())
                .addAttributes(identity.getAttributes())
                .addPermissionChecker(identity::checkPermission);
        return Uni.createFrom().item(builder.build());
    }
}
