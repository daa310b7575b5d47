package dev.tessera.tenancy.idp;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.tessera.tenancy.IdentityProvider;
import dev.tessera.tenancy.Tenant;
import dev.tessera.tenancy.TenantDirectory;
import io.quarkus.oidc.OidcRequestContext;
import io.quarkus.oidc.OidcTenantConfig;
import io.quarkus.oidc.TenantConfigResolver;
import io.quarkus.oidc.runtime.OidcTenantConfig.ApplicationType;
import io.quarkus.security.AuthenticationFailedException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Chooses which identity provider verifies a bearer token, from its still unverified {@code iss}.
 *
 * <ul>
 * <li>the platform issuer, no token, or a token we cannot read: the default configuration (quarkus-oidc
 * then accepts or rejects it exactly as before);</li>
 * <li>an issuer registered to a tenant: that tenant's configuration, which verifies signature (keys from
 * the issuer's discovery or its registered JWKS URL), issuer, audience and expiry;</li>
 * <li>any other issuer: 401, before any key is fetched, and without a database query
 * ({@link RegisteredIssuers} holds the registered issuers in memory).</li>
 * </ul>
 * Which tenant the request acts for is decided later, from the verified identity (TenantRequestFilter).
 */
@ApplicationScoped
public class TenantIdpConfigResolver implements TenantConfigResolver {

    private final TenantDirectory directory;
    private final RegisteredIssuers registered;
    private final PlatformIssuer platform;
    private final List<String> platformAudience;
    private final List<String> roleClaimPaths;
    static final int REMEMBERED_ISSUERS = 1_000;
    static final int REMEMBERED_LENGTH = 4_096;
    /** Authorization header → its token's unverified issuer (see {@link #unverifiedIssuer}). */
    private final Map<String, Optional<String>> issuers = new ConcurrentHashMap<>();
    /** One instance per registration: quarkus-oidc treats a different instance under a known name as an update. */
    private final Map<String, OidcTenantConfig> configs = new ConcurrentHashMap<>();

    TenantIdpConfigResolver(TenantDirectory directory, RegisteredIssuers registered, PlatformIssuer platform,
            @ConfigProperty(name = "quarkus.oidc.token.audience") Optional<List<String>> platformAudience,
            @ConfigProperty(name = "quarkus.oidc.roles.role-claim-path") Optional<List<String>> roleClaimPaths) {
        this.directory = directory;
        this.registered = registered;
        this.platform = platform;
        this.platformAudience = platformAudience.orElse(List.of());
        this.roleClaimPaths = roleClaimPaths.orElse(List.of("groups"));
    }

    @Override
    public Uni<OidcTenantConfig> resolve(RoutingContext context, OidcRequestContext<OidcTenantConfig> requestContext) {
        Optional<String> issuer = unverifiedIssuer(context.request().getHeader(HttpHeaders.AUTHORIZATION));
        if (issuer.isEmpty() || platform.is(issuer.get())) {
            return Uni.createFrom().nullItem();
        }
        String iss = issuer.get();
        // The set first: an issuer nobody registered is refused without a query or a cache entry.
        return registered.contains(iss).flatMap(known -> known ? directory.byIssuer(iss) : Uni.createFrom().item(Optional.<Tenant>empty()))
                .map(found -> found.map(this::configOf).orElseThrow(
                        () -> new AuthenticationFailedException("The token's issuer is not registered here")));
    }

    /**
     * The unverified issuer of a bearer token, remembered per token text: a client sends the same token for
     * minutes, and decoding its payload on every request cost 3 % of a read's CPU. Only the very same text
     * hits, and what it selects is verified as before (or taken from the verified-token cache, which is keyed
     * by the same text). Bounded: tokens of up to 4 KiB, forgotten all at once past {@link #REMEMBERED_ISSUERS}.
     */
    private Optional<String> unverifiedIssuer(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        Optional<String> known = issuers.get(authorization);
        if (known != null) {
            return known;
        }
        Optional<String> read = UnverifiedIssuer.of(authorization);
        if (authorization.length() > REMEMBERED_LENGTH) {
            return read;
        }
        if (issuers.size() >= REMEMBERED_ISSUERS) {
            issuers.clear();
        }
        issuers.put(authorization, read);
        return read;
    }

    /** The issuer of a tenant identity provider's quarkus-oidc configuration, by its name; empty for any other. */
    Optional<String> issuerOf(String tenantConfigName) {
        if (tenantConfigName == null) {
            return Optional.empty();
        }
        OidcTenantConfig config = configs.get(tenantConfigName);
        return config == null ? Optional.empty() : config.token().issuer();
    }

    private OidcTenantConfig configOf(Tenant tenant) {
        IdentityProvider idp = tenant.identityProvider();
        return configs.computeIfAbsent(OidcTenantIds.of(tenant.id(), idp), name -> {
            var builder = OidcTenantConfig.authServerUrl(idp.issuer()).tenantId(name)
                    .applicationType(ApplicationType.SERVICE)
                    // SSRF guard (IdpRequestGuard): no redirects, and the JVM's resolver, which the guard also asks.
                    .followRedirects(false).useBlockingDnsLookup(true)
                    // The same claim paths as the platform IdP; platform-admin is taken away by TenantIdpRoles.
                    .roles().roleClaimPath(roleClaimPaths).end()
                    .token().issuer(idp.issuer())
                    .audience(idp.audience() == null ? platformAudience : List.of(idp.audience())).end();
            if (idp.jwksUrl() != null) {
                builder.discoveryEnabled(false).jwksPath(idp.jwksUrl());
            }
            return builder.build();
        });
    }
}
