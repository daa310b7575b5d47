-- A tenant that brings its own identity provider: the issuer its tokens carry, and what quarkus-oidc
-- needs to verify them. All three are nullable and added without a default (instant); the rule that ties
-- them together is added NOT VALID and validated afterwards (docs/migrations.md). The unique index on the
-- issuer is built CONCURRENTLY in V008, in a script of its own.

ALTER TABLE tenants ADD COLUMN oidc_issuer text;
ALTER TABLE tenants ADD COLUMN oidc_jwks_url text;
ALTER TABLE tenants ADD COLUMN oidc_audience text;

ALTER TABLE tenants ADD CONSTRAINT ck_tenants_oidc_registration
    CHECK (oidc_issuer IS NOT NULL OR (oidc_jwks_url IS NULL AND oidc_audience IS NULL)) NOT VALID;
ALTER TABLE tenants VALIDATE CONSTRAINT ck_tenants_oidc_registration;

COMMENT ON COLUMN tenants.oidc_issuer   IS 'Issuer (iss) of the tenant''s own identity provider; its tokens act for this tenant only, and platform tokens may not. NULL: the tenant uses the platform identity provider.';
COMMENT ON COLUMN tenants.oidc_jwks_url IS 'Explicit JWKS URL of the tenant''s identity provider; NULL: discovered from <oidc_issuer>/.well-known/openid-configuration.';
COMMENT ON COLUMN tenants.oidc_audience IS 'Audience (aud) required in the tenant identity provider''s tokens; NULL: the platform''s audience (tessera-api).';

GRANT UPDATE (oidc_issuer, oidc_jwks_url, oidc_audience) ON tenants TO tessera_app;
