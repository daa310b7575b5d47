package dev.tessera.tenancy;

import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.tessera.security.Roles;
import dev.tessera.shared.id.PublicIds;
import dev.tessera.tenancy.idp.OidcTenantIds;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * A platform support user's request that names a support grant (header {@code Support-Grant}) gets the
 * grant's roles instead of {@code platform-support}, so that the endpoints' role checks see what the
 * grant allows and nothing more; the running grant rides along as an attribute for
 * {@link TenantRequestFilter}. A grant that is not the user's or not running: 403
 * {@code support-grant-inactive}. Only tokens of the platform IdP can carry {@code platform-support}
 * (TenantIdpRoles).
 *
 * <p>The request is read from this authentication's attributes, never from the identity: a remembered
 * identity (VerifiedTokenCache) carries the routing context of the request that first verified it.
 */
@ApplicationScoped
public class SupportGrantIdentity implements SecurityIdentityAugmentor {

    /** The identity attribute holding the {@link SupportGrantResolver.RunningGrant}. */
    static final String GRANT = "tessera.support-grant";

    private final SupportGrantResolver grants;

    SupportGrantIdentity(SupportGrantResolver grants) {
        this.grants = grants;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        return Uni.createFrom().item(identity);
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context,
            Map<String, Object> attributes) {
        if (identity.isAnonymous() || !identity.hasRole(Roles.PLATFORM_SUPPORT)
                || !(identity.getPrincipal() instanceof JsonWebToken token) || OidcTenantIds.tenantOf(identity).isPresent()) {
            return Uni.createFrom().item(identity);
        }
        RoutingContext request = HttpSecurityUtils.getRoutingContextAttribute(attributes);
        String header = request == null ? null : request.request().getHeader(SupportGrantResolver.HEADER);
        if (header == null) {
            return Uni.createFrom().item(identity);
        }
        UUID grantId;
        try {
            grantId = PublicIds.parse(SupportGrantResolver.HEADER, header.strip());
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(e);
        }
        return grants.running(grantId, supportUser(token)).map(grant -> QuarkusSecurityIdentity.builder()
                .setPrincipal(identity.getPrincipal())
                .addRoles(grant.roles())
                .addCredentials(identity.getCredentials())
                .addAttributes(identity.getAttributes())
                .addAttribute(GRANT, grant)
                .build());
    }

    /** Who a support token names: its subject (or, without one, its name); the user a grant belongs to. */
    public static String supportUser(JsonWebToken token) {
        return token.getSubject() == null ? token.getName() : token.getSubject();
    }
}
