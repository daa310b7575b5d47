-- Platform administration: the service writes tenants (provisioning, lifecycle) and records every
-- admin action in platform_audit, which it may append to but never change.

CREATE TABLE platform_audit (
    id        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor     text        NOT NULL,
    action    text        NOT NULL,
    tenant_id uuid,
    details   jsonb       NOT NULL DEFAULT '{}'::jsonb,
    at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ix_platform_audit_tenant_id_at ON platform_audit (tenant_id, at);

COMMENT ON TABLE  platform_audit           IS 'Append-only record of platform administration (who did what to which tenant, when).';
COMMENT ON COLUMN platform_audit.id        IS 'Order of recording.';
COMMENT ON COLUMN platform_audit.actor     IS 'Subject of the platform-admin token that acted.';
COMMENT ON COLUMN platform_audit.action    IS 'What was done, for example tenant.create, tenant.suspend.';
COMMENT ON COLUMN platform_audit.tenant_id IS 'The tenant acted upon (no foreign key: the record outlives the tenant).';
COMMENT ON COLUMN platform_audit.details   IS 'What changed, as JSON; never secrets.';
COMMENT ON COLUMN platform_audit.at        IS 'When it was recorded.';

GRANT INSERT, SELECT ON platform_audit TO tessera_app;
GRANT SELECT ON platform_audit TO tessera_readonly;
-- Provisioning and lifecycle: the service inserts tenants and changes their name, plan and state.
-- Slug, isolation and schema are immutable for it; deleting tenants is not its business.
GRANT INSERT ON tenants TO tessera_app;
GRANT UPDATE (name, plan, state, updated_at) ON tenants TO tessera_app;
CREATE UNIQUE INDEX ix_tenants_schema_name ON tenants (schema_name) WHERE schema_name IS NOT NULL;
