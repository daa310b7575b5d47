package dev.tessera.tenancy;

import java.util.Optional;
import java.util.UUID;

import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import dev.tessera.shared.error.Forbidden;
import dev.tessera.shared.error.ProblemType;
import dev.tessera.shared.error.ServiceUnavailable;
import dev.tessera.tenancy.idp.OidcTenantIds;
import dev.tessera.tenancy.provisioning.SchemaRegistry;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * Resolves the tenant of every request to a {@link TenantScoped} resource, from the verified token only.
 *
 * <p>No token: 401. A caller bound to a tenant by construction (an API key) acts for that tenant, if it is
 * served. A platform support token naming one of its running grants (header {@code Support-Grant}) acts for
 * the grant's tenant with the grant's roles. A platform token without the claim, for an unknown tenant, for a tenant that is not
 * active or for a tenant with its own identity provider: 403. A token of a tenant's own identity provider
 * acts for that tenant only (403 if its claim names another). Headers, paths and bodies are never consulted.
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
    public Uni<Response> resolveTenant(SimpleResourceInfo resource, HttpServerRequest request) {
        if (resource.getResourceClass() == null || !resource.getResourceClass().isAnnotationPresent(TenantScoped.class)) {
            return Uni.createFrom().nullItem();
        }
        return identities.getDeferredIdentity().flatMap(identity -> resolve(identity, request)).replaceWith((Response) null);
    }

    private Uni<Void> resolve(SecurityIdentity identity, HttpServerRequest request) {
        if (!identity.isAnonymous() && identity.getPrincipal() instanceof TenantBoundPrincipal bound) {
            return served(boundTo(bound), identity, bound.getName());
        }
        if (!identity.isAnonymous() && identity.getAttribute(SupportGrantIdentity.GRANT) instanceof SupportGrantResolver.RunningGrant grant
                && identity.getPrincipal() instanceof JsonWebToken supportToken) {
            return underGrant(supportToken, grant, request);
        }
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().failure(new UnauthorizedException());
        }
        Optional<UUID> ownIdp = OidcTenantIds.tenantOf(identity);
        Uni<Tenant> tenant = ownIdp.isPresent() ? ofOwnIdp(token, ownIdp.get()) : ofPlatformIdp(token);
        return served(tenant, identity, token.getSubject() == null ? identity.getPrincipal().getName() : token.getSubject());
    }

    /** The tenant's context for this request, if the tenant is served now (active, its schema current). */
    private Uni<Void> served(Uni<Tenant> tenant, SecurityIdentity identity, String actor) {
        return tenant.invoke(t -> {
            checkServed(t);
            current.set(new TenantContext(t, actor, identity.getRoles()));
        }).replaceWithVoid();
    }

    private void checkServed(Tenant t) {
        if (t.state() != TenantState.ACTIVE) {
            throw new Forbidden(ProblemType.TENANT_INACTIVE, "The tenant is " + t.state().name().toLowerCase());
        }
        if (t.isolation() == IsolationMode.SCHEMA && !schemas.servable(t.schemaName())) {
            // Never serve a tenant from a schema that is behind the code (or being migrated).
            throw new ServiceUnavailable(ProblemType.TENANT_SCHEMA_UNAVAILABLE,
                    "The tenant's data is being upgraded or its upgrade failed; retry later");
        }
    }

    /**
     * A platform support user acting under one of its grants: the grant's tenant, the grant's roles, the
     * actor {@code support:<subject>/grant:<id>}, and the request line every transaction records.
     */
    private Uni<Void> underGrant(JsonWebToken token, SupportGrantResolver.RunningGrant grant, HttpServerRequest request) {
        String line = request.method().name() + " " + request.uri();
        SupportAccess access = new SupportAccess(grant.id(), line.length() > 500 ? line.substring(0, 500) : line);
        return directory.byClaim(grant.tenantId().toString()).invoke(found -> {
            Tenant t = found.orElseThrow(() -> new Forbidden(ProblemType.TENANT_UNKNOWN, "The grant's tenant is not known here"));
            checkServed(t);
            current.set(new TenantContext(t, SupportAccess.actor(SupportGrantIdentity.supportUser(token), grant.id()),
                    grant.roles(), access));
        }).replaceWithVoid();
    }

    /** A caller bound to one tenant (an API key): that tenant, read from the directory like any other. */
    private Uni<Tenant> boundTo(TenantBoundPrincipal bound) {
        return directory.byClaim(bound.tenantId().toString()).map(found -> found.orElseThrow(
                () -> new Forbidden(ProblemType.TENANT_UNKNOWN, "The caller's tenant is not known here")));
    }

    /**
     * A token verified by a tenant's own identity provider acts for the tenant registered to its (verified)
     * issuer, full stop: a tenant claim naming that tenant is ignored, one naming any other is refused.
     */
    private Uni<Tenant> ofOwnIdp(JsonWebToken token, UUID verifiedFor) {
        return directory.byIssuer(token.getIssuer()).map(found -> {
            // The registration may have changed since quarkus-oidc chose the configuration: trust both or neither.
            Tenant tenant = found.filter(t -> t.id().equals(verifiedFor)).orElseThrow(() -> new Forbidden(
                    ProblemType.TENANT_UNKNOWN, "The token's issuer is not registered to a tenant"));
            if (VerifiedClaims.of(token, config.claim()) != null && !claimOf(token).map(tenant::isNamedBy).orElse(false)) {
                throw new Forbidden(ProblemType.TENANT_CLAIM_CONFLICT,
                        "The token's '" + config.claim() + "' claim names another tenant than its issuer");
            }
            return tenant;
        });
    }

    /** A platform token names its tenant in the claim; a tenant with its own identity provider refuses it. */
    private Uni<Tenant> ofPlatformIdp(JsonWebToken token) {
        Optional<String> claim = claimOf(token);
        if (claim.isEmpty()) {
            return Uni.createFrom().failure(
                    new Forbidden(ProblemType.TENANT_CLAIM_MISSING, "The token has no '" + config.claim() + "' claim"));
        }
        return directory.byClaim(claim.get()).map(found -> {
            Tenant tenant = found.orElseThrow(
                    () -> new Forbidden(ProblemType.TENANT_UNKNOWN, "The token's tenant is not known here"));
            if (tenant.hasOwnIdentityProvider()) {
                throw new Forbidden(ProblemType.TENANT_REQUIRES_OWN_IDP,
                        "This tenant accepts tokens of its own identity provider only");
            }
            return tenant;
        });
    }

    private Optional<String> claimOf(JsonWebToken token) {
        Object claim = VerifiedClaims.of(token, config.claim());
        if (claim instanceof jakarta.json.JsonString js) {
            return Optional.of(js.getString());
        }
        return claim instanceof String value ? Optional.of(value) : Optional.empty();
    }
}
