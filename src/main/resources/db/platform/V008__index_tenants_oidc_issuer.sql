-- One issuer, one tenant: the lookup of a token's issuer and the 409 for a second tenant claiming it.
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ix_tenants_oidc_issuer ON tenants (oidc_issuer) WHERE oidc_issuer IS NOT NULL;
