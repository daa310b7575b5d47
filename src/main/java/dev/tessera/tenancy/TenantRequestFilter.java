package dev.tessera.tenancy;

import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import dev.tessera.shared.error.Forbidden;
import dev.tessera.shared.error.ProblemType;
import dev.tessera.shared.error.ServiceUnavailable;
import dev.tessera.tenancy.provisioning.SchemaRegistry;
import io.quarkus.oidc.runtime.OidcJwtCallerPrincipal;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Resolves the tenant of every request to a {@link TenantScoped} resource, from the verified token only.
 *
 * <p>No token: 401. A token without the claim, for an unknown tenant or for a tenant that is not
 * active: 403. Headers, paths and bodies are never consulted.
 */
public class TenantRequestFilter {

    private final CurrentIdentityAssociation identities;
    private final TenantDirectory directory;
    private final CurrentTenant current;
    private final TenancyConfig config;
    private final SchemaRegistry schemas;

    TenantRequestFilter(CurrentIdentityAssociation identities, TenantDirectory directory, CurrentTenant current,
            TenancyConfig config, SchemaRegistry schemas) {
        this.identities = identities;
        this.directory = directory;
        this.current = current;
        this.config = config;
        this.schemas = schemas;
    }

    @ServerRequestFilter
    public Uni<Response> resolveTenant(SimpleResourceInfo resource) {
        if (resource.getResourceClass() == null || !resource.getResourceClass().isAnnotationPresent(TenantScoped.class)) {
            return Uni.createFrom().nullItem();
        }
        return identities.getDeferredIdentity().flatMap(this::resolve).replaceWith((Response) null);
    }

    private Uni<Void> resolve(SecurityIdentity identity) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().failure(new UnauthorizedException());
        }
        Object claim = claim(token, config.claim());
        if (!(claim instanceof String value) && !(claim instanceof jakarta.json.JsonString)) {
            return Uni.createFrom().failure(
                    new Forbidden(ProblemType.TENANT_CLAIM_MISSING, "The token has no '" + config.claim() + "' claim"));
        }
        String tenantClaim = claim instanceof jakarta.json.JsonString js ? js.getString() : (String) claim;
        return directory.byClaim(tenantClaim).invoke(found -> {
            Tenant tenant = found.orElseThrow(
                    () -> new Forbidden(ProblemType.TENANT_UNKNOWN, "The token's tenant is not known here"));
            if (tenant.state() != TenantState.ACTIVE) {
                throw new Forbidden(ProblemType.TENANT_INACTIVE, "The tenant is " + tenant.state().name().toLowerCase());
            }
            if (tenant.isolation() == IsolationMode.SCHEMA && !schemas.servable(tenant.schemaName())) {
                // Never serve a tenant from a schema that is behind the code (or being migrated).
                throw new ServiceUnavailable(ProblemType.TENANT_SCHEMA_UNAVAILABLE,
                        "The tenant's data is being upgraded or its upgrade failed; retry later");
            }
            current.set(new TenantContext(tenant, token.getSubject() == null ? identity.getPrincipal().getName()
                    : token.getSubject(), identity.getRoles()));
        }).replaceWithVoid();
    }

    /**
     * A claim's value. JsonWebToken.getClaim first looks the name up among the standard claims and, for
     * any other name, throws and catches an exception on every call: read the verified claims directly.
     */
    private static Object claim(JsonWebToken token, String name) {
        return token instanceof OidcJwtCallerPrincipal oidc ? oidc.getClaims().getClaimValue(name) : token.getClaim(name);
    }
}
