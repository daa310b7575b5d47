-- Tenant reads as one statement each (TenantTx.read, docs/design/transaction-door.md).
--
-- A read_* function sets the tenant context for its own transaction and returns the rows: called as a
-- single statement outside any transaction block, it runs in an implicit transaction of its own, so the
-- context dies with that statement, whatever happens. The service then sends one statement per read
-- instead of BEGIN, the context, the query and COMMIT.
--
-- The functions live in schema tessera and name their tables unqualified: enter_tenant puts the
-- tenant's schema (tessera for SHARED tenants, tenant_<id> for SCHEMA tenants) first on the search
-- path before the query is planned, and RLS stays on as the second wall in both modes. They are
-- SECURITY INVOKER (the default): RLS and the grants of tessera_app apply as to any other statement.
-- With no tenant (NULL or ''), app.tenant_id is '' and the policies match nothing: fail closed.
--
-- Repeatable: CREATE OR REPLACE keeps the grants; a changed result type needs a DROP first.

-- The one place that sets the tenant context inside a function. On a Citus cluster, SET LOCAL: Citus
-- forwards a literal SET LOCAL to its workers, and only when citus.propagate_set_commands = 'local'
-- (ops/citus/distribute.sql sets it for the database), never set_config. Elsewhere set_config(..., true):
-- as transaction-local, without parsing three utility statements per read (one-statement reads ran
-- 30-31k TPS at the database with the EXECUTEs, 32-34k with set_config; bench/README.md).
CREATE OR REPLACE FUNCTION enter_tenant(p_tenant text, p_user text, p_schema text) RETURNS void
    LANGUAGE plpgsql
AS $$
BEGIN
    IF current_setting('citus.propagate_set_commands', true) = 'local' THEN
        EXECUTE format('SET LOCAL app.tenant_id = %L', coalesce(p_tenant, ''));
        EXECUTE format('SET LOCAL app.user_id = %L', coalesce(p_user, ''));
        EXECUTE format('SET LOCAL search_path = %I, public', coalesce(nullif(p_schema, ''), 'tessera'));
    ELSE
        PERFORM set_config('app.tenant_id', coalesce(p_tenant, ''), true),
                set_config('app.user_id', coalesce(p_user, ''), true),
                set_config('search_path', quote_ident(coalesce(nullif(p_schema, ''), 'tessera')) || ', public', true);
    END IF;
END
$$;

-- The context of a transaction door (TenantTx with tessera.tenancy.context = set-local, the default): the
-- same as enter_tenant, plus the transaction's statement_timeout. Every value is quoted by format (%L,
-- %I), never concatenated raw; SET LOCAL ends with the transaction like set_config(..., true).
CREATE OR REPLACE FUNCTION enter_tenant(p_tenant text, p_user text, p_schema text, p_statement_timeout text)
    RETURNS void
    LANGUAGE plpgsql
AS $$
BEGIN
    EXECUTE format('SET LOCAL app.tenant_id = %L', coalesce(p_tenant, ''));
    EXECUTE format('SET LOCAL app.user_id = %L', coalesce(p_user, ''));
    EXECUTE format('SET LOCAL search_path = %I, public', coalesce(nullif(p_schema, ''), 'tessera'));
    EXECUTE format('SET LOCAL statement_timeout = %L', p_statement_timeout);
END
$$;

-- Every read names its tenant as well as relying on RLS (which stays the wall): on Citus only
-- tenant_id = <parameter> makes a query router-planned to one shard; the policy's predicate alone
-- would send it to every shard. On plain PostgreSQL it is the index condition RLS adds anyway.

-- ProductRepository.FIND: one product by public id, deleted or not (the service decides what to show).
CREATE OR REPLACE FUNCTION read_product(p_tenant text, p_user text, p_schema text, p_id uuid)
    RETURNS TABLE (public_id uuid, sku text, name text, description text, price numeric, currency text,
                   created_at timestamptz, updated_at timestamptz, deleted_at timestamptz, deleted_by text)
    LANGUAGE plpgsql
    ROWS 1
AS $$
DECLARE
    -- A plain uuid variable, so that tenant_id = v_tenant is a parameter: Citus can then route the
    -- statement to one shard also in a generic plan (an expression over a parameter it cannot).
    v_tenant uuid := nullif(p_tenant, '')::uuid;
BEGIN
    PERFORM tessera.enter_tenant(p_tenant, p_user, p_schema);
    RETURN QUERY
        SELECT p.public_id, p.sku, p.name, p.description, p.price, p.currency,
               p.created_at, p.updated_at, p.deleted_at, p.deleted_by
          FROM products p
         WHERE p.tenant_id = v_tenant
           AND p.public_id = p_id;
END
$$;

-- ProductRepository.LIST: a keyset page (up to p_limit rows after p_after), optionally by name.
-- Planned for its arguments (plan_cache_mode for this transaction only, as CustomPlans does for a
-- prepared statement): in a generic plan the optional conditions could not be index conditions.
CREATE OR REPLACE FUNCTION list_products(p_tenant text, p_user text, p_schema text,
                                         p_after uuid, p_name text, p_deleted boolean, p_limit integer)
    RETURNS TABLE (public_id uuid, sku text, name text, description text, price numeric, currency text,
                   created_at timestamptz, updated_at timestamptz, deleted_at timestamptz, deleted_by text)
    LANGUAGE plpgsql
    ROWS 50
AS $$
DECLARE
    -- A plain uuid variable, so that tenant_id = v_tenant is a parameter: Citus can then route the
    -- statement to one shard also in a generic plan (an expression over a parameter it cannot).
    v_tenant uuid := nullif(p_tenant, '')::uuid;
BEGIN
    PERFORM tessera.enter_tenant(p_tenant, p_user, p_schema);
    SET LOCAL plan_cache_mode = force_custom_plan;
    RETURN QUERY
        SELECT p.public_id, p.sku, p.name, p.description, p.price, p.currency,
               p.created_at, p.updated_at, p.deleted_at, p.deleted_by
          FROM products p
         WHERE p.tenant_id = v_tenant
           AND (p_after IS NULL OR p.public_id > p_after)
           AND (p_name IS NULL OR strpos(lower(p.name), lower(p_name)) > 0)
           AND (p_deleted OR p.deleted_at IS NULL)
         ORDER BY p.public_id
         LIMIT p_limit;
END
$$;

-- OrderProjection.CURRENT: the order's snapshot (if it is in format p_format) and the events after it.
CREATE OR REPLACE FUNCTION read_order(p_tenant text, p_user text, p_schema text, p_id uuid, p_format text)
    RETURNS TABLE (version integer, type text, payload jsonb, metadata jsonb)
    LANGUAGE plpgsql
    ROWS 5
AS $$
DECLARE
    -- A plain uuid variable, so that tenant_id = v_tenant is a parameter: Citus can then route the
    -- statement to one shard also in a generic plan (an expression over a parameter it cannot).
    v_tenant uuid := nullif(p_tenant, '')::uuid;
BEGIN
    PERFORM tessera.enter_tenant(p_tenant, p_user, p_schema);
    RETURN QUERY
        SELECT (o.state ->> 'version')::integer, NULL::text, o.state, NULL::jsonb
          FROM rm_orders o
         WHERE o.tenant_id = v_tenant
           AND o.order_id = p_id
           AND o.state ->> 'schema' = p_format
        UNION ALL
        SELECT e.version, e.type, e.payload, e.metadata
          FROM es_order_events e
         WHERE e.tenant_id = v_tenant
           AND e.order_id = p_id
           AND e.version > (SELECT coalesce(max((s.state ->> 'version')::integer), 0)
                              FROM rm_orders s
                             WHERE s.tenant_id = v_tenant
                               AND s.order_id = p_id
                               AND s.state ->> 'schema' = p_format)
         ORDER BY 1;
END
$$;

REVOKE ALL ON FUNCTION enter_tenant(text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION enter_tenant(text, text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION read_product(text, text, text, uuid) FROM PUBLIC;
REVOKE ALL ON FUNCTION list_products(text, text, text, uuid, text, boolean, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION read_order(text, text, text, uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION enter_tenant(text, text, text) TO tessera_app;
GRANT EXECUTE ON FUNCTION enter_tenant(text, text, text, text) TO tessera_app;
GRANT EXECUTE ON FUNCTION read_order(text, text, text, uuid, text) TO tessera_app;
GRANT EXECUTE ON FUNCTION read_product(text, text, text, uuid) TO tessera_app;
GRANT EXECUTE ON FUNCTION list_products(text, text, text, uuid, text, boolean, integer) TO tessera_app;

COMMENT ON FUNCTION enter_tenant(text, text, text) IS
    'Sets app.tenant_id, app.user_id and search_path for the current transaction only (SET LOCAL); called first by every read_*/list_* function.';
COMMENT ON FUNCTION enter_tenant(text, text, text, text) IS
    'Sets app.tenant_id, app.user_id, search_path and statement_timeout for the current transaction only (SET LOCAL); the context statement of TenantTx''s transaction doors.';
COMMENT ON FUNCTION read_product(text, text, text, uuid) IS
    'One product of the tenant by public id, as one statement that sets its own tenant context (TenantTx.read).';
COMMENT ON FUNCTION list_products(text, text, text, uuid, text, boolean, integer) IS
    'A keyset page of the tenant''s products, as one statement that sets its own tenant context (TenantTx.read).';
COMMENT ON FUNCTION read_order(text, text, text, uuid, text) IS
    'An order''s snapshot and the events after it, as one statement that sets its own tenant context (TenantTx.read).';
