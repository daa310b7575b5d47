-- Platform schema: the tenant directory. Runs once, into schema tessera, as tessera_owner.
-- The tenants table is not tenant data: the service reads it before any tenant is known,
-- so it carries no RLS policy; tessera_app may only read it.

REVOKE CREATE ON SCHEMA public FROM PUBLIC;

CREATE TABLE tenants (
    id          uuid        PRIMARY KEY,
    slug        text        NOT NULL,
    name        text        NOT NULL,
    plan        text        NOT NULL DEFAULT 'standard',
    isolation   text        NOT NULL DEFAULT 'SHARED',
    state       text        NOT NULL DEFAULT 'PROVISIONING',
    schema_name text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ck_tenants_slug      CHECK (slug ~ '^[a-z0-9-]{3,63}$'),
    CONSTRAINT ck_tenants_plan      CHECK (plan IN ('free', 'standard', 'enterprise')),
    CONSTRAINT ck_tenants_isolation CHECK (isolation IN ('SHARED', 'SCHEMA')),
    CONSTRAINT ck_tenants_state     CHECK (state IN ('PROVISIONING', 'ACTIVE', 'SUSPENDED', 'OFFBOARDED')),
    CONSTRAINT ck_tenants_schema    CHECK ((isolation = 'SCHEMA') = (schema_name IS NOT NULL)),
    CONSTRAINT ck_tenants_schema_name CHECK (schema_name ~ '^tenant_[a-z0-9_]{1,55}$')
);
CREATE UNIQUE INDEX ix_tenants_slug ON tenants (slug);

COMMENT ON TABLE  tenants             IS 'The tenants (small businesses) of the platform; read by the service to resolve the tenant of a token.';
COMMENT ON COLUMN tenants.id          IS 'Tenant id, the value of app.tenant_id and of every tenant_id column.';
COMMENT ON COLUMN tenants.slug        IS 'Immutable URL-safe name, [a-z0-9-]{3,63}; a token''s tenant claim may carry it instead of the id.';
COMMENT ON COLUMN tenants.name        IS 'Display name.';
COMMENT ON COLUMN tenants.plan        IS 'Commercial plan: free, standard or enterprise.';
COMMENT ON COLUMN tenants.isolation   IS 'SHARED (rows in schema tessera under RLS) or SCHEMA (a dedicated schema, RLS kept as a second wall).';
COMMENT ON COLUMN tenants.state       IS 'PROVISIONING, ACTIVE, SUSPENDED or OFFBOARDED; only ACTIVE tenants are served.';
COMMENT ON COLUMN tenants.schema_name IS 'The dedicated schema of a SCHEMA tenant, NULL for SHARED tenants.';
COMMENT ON COLUMN tenants.created_at  IS 'When the tenant was created.';
COMMENT ON COLUMN tenants.updated_at  IS 'When the tenant row last changed.';

GRANT USAGE ON SCHEMA tessera TO tessera_app, tessera_readonly;
GRANT SELECT ON tenants TO tessera_app, tessera_readonly;
