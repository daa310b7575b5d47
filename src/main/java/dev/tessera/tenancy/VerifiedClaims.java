package dev.tessera.tenancy;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.oidc.runtime.OidcJwtCallerPrincipal;

/**
 * Reads a claim of a verified token. {@link JsonWebToken#getClaim} first looks the name up among the
 * standard claims and, for any other name, throws and catches an exception on every call; quarkus-oidc's
 * principal (a runtime class, not API) gives the verified claims directly. The only place that reaches
 * into it: if a quarkus-oidc upgrade changes the principal's type, claims are still read (the slow way),
 * and VerifiedClaimsTest, which verifies a real token, fails.
 */
final class VerifiedClaims {

    private VerifiedClaims() {
    }

    /** The claim's value, or null. */
    static Object of(JsonWebToken token, String name) {
        return readsDirectly(token) ? ((OidcJwtCallerPrincipal) token).getClaims().getClaimValue(name) : token.getClaim(name);
    }

    /** Whether the claims of this token are read without the standard-claim lookup. */
    static boolean readsDirectly(JsonWebToken token) {
        return token instanceof OidcJwtCallerPrincipal;
    }
}
