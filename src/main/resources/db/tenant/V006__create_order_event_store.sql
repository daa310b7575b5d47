-- Event-sourced orders: the event store (es_), its idempotency keys, and the orders read model (rm_).

CREATE TABLE es_order_events (
    tenant_id   uuid        NOT NULL DEFAULT nullif(current_setting('app.tenant_id', true), '')::uuid
                            REFERENCES tessera.tenants (id),
    order_id    uuid        NOT NULL,
    version     integer     NOT NULL,
    type        text        NOT NULL,
    payload     jsonb       NOT NULL,
    metadata    jsonb       NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    position    bigint      GENERATED ALWAYS AS IDENTITY,
    -- The key is the optimistic lock: two writers appending the same version collide here.
    CONSTRAINT pk_es_order_events PRIMARY KEY (tenant_id, order_id, version),
    CONSTRAINT ck_es_order_events_version CHECK (version > 0)
);
CREATE INDEX ix_es_order_events_tenant_id_position ON es_order_events (tenant_id, position);

COMMENT ON TABLE  es_order_events             IS 'Append-only event stream of every order: the source of truth for orders.';
COMMENT ON COLUMN es_order_events.tenant_id   IS 'Owning tenant; RLS-isolated.';
COMMENT ON COLUMN es_order_events.order_id    IS 'The order (stream) the event belongs to; its public id.';
COMMENT ON COLUMN es_order_events.version     IS 'Position of the event in its stream, 1, 2, 3... without gaps.';
COMMENT ON COLUMN es_order_events.type        IS 'Event type: OrderCreated, ItemAdded, ItemRemoved, OrderPlaced, PaymentCaptured, OrderShipped, OrderDelivered, OrderCancelled.';
COMMENT ON COLUMN es_order_events.payload     IS 'Event data, in the schema version named by metadata.schemaVersion.';
COMMENT ON COLUMN es_order_events.metadata    IS 'actor (token subject), correlationId, schemaVersion.';
COMMENT ON COLUMN es_order_events.recorded_at IS 'When the event was appended.';
COMMENT ON COLUMN es_order_events.position    IS 'Global append order, for catch-up readers and rebuilds.';

CREATE TABLE es_idempotency_keys (
    tenant_id    uuid        NOT NULL DEFAULT nullif(current_setting('app.tenant_id', true), '')::uuid
                             REFERENCES tessera.tenants (id),
    key          text        NOT NULL,
    request_hash bytea       NOT NULL,
    status       integer,
    response     jsonb,
    etag         text,
    location     text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    CONSTRAINT pk_es_idempotency_keys PRIMARY KEY (tenant_id, key)
);
CREATE INDEX ix_es_idempotency_keys_tenant_id_expires_at ON es_idempotency_keys (tenant_id, expires_at);

COMMENT ON TABLE  es_idempotency_keys              IS 'Idempotency-Key of order POSTs, stored in the same transaction as the events they produced.';
COMMENT ON COLUMN es_idempotency_keys.tenant_id    IS 'Owning tenant; RLS-isolated.';
COMMENT ON COLUMN es_idempotency_keys.key          IS 'The client''s Idempotency-Key header.';
COMMENT ON COLUMN es_idempotency_keys.request_hash IS 'SHA-256 of method, path and body: the same key with another request is refused.';
COMMENT ON COLUMN es_idempotency_keys.status       IS 'HTTP status of the first response.';
COMMENT ON COLUMN es_idempotency_keys.response     IS 'Body of the first response, returned again to retries.';
COMMENT ON COLUMN es_idempotency_keys.etag         IS 'ETag of the first response.';
COMMENT ON COLUMN es_idempotency_keys.location     IS 'Location header of the first response, if any.';
COMMENT ON COLUMN es_idempotency_keys.created_at   IS 'When the key was first used.';
COMMENT ON COLUMN es_idempotency_keys.expires_at   IS 'After this the key is forgotten and may be used again.';

CREATE TABLE rm_orders (
    tenant_id   uuid          NOT NULL DEFAULT nullif(current_setting('app.tenant_id', true), '')::uuid
                              REFERENCES tessera.tenants (id),
    order_id    uuid          NOT NULL,
    status      text          NOT NULL,
    customer_id uuid,
    currency    text          NOT NULL,
    total       numeric(14,2) NOT NULL,
    item_count  integer       NOT NULL,
    version     integer       NOT NULL,
    created_at  timestamptz   NOT NULL,
    updated_at  timestamptz   NOT NULL,
    CONSTRAINT pk_rm_orders PRIMARY KEY (tenant_id, order_id)
);
CREATE INDEX ix_rm_orders_tenant_id_status_order_id ON rm_orders (tenant_id, status, order_id);
CREATE INDEX ix_rm_orders_tenant_id_customer_id_order_id ON rm_orders (tenant_id, customer_id, order_id);

COMMENT ON TABLE  rm_orders             IS 'Read model of orders, updated in the same transaction as each append; rebuildable from es_order_events.';
COMMENT ON COLUMN rm_orders.tenant_id   IS 'Owning tenant; RLS-isolated.';
COMMENT ON COLUMN rm_orders.order_id    IS 'The order''s public id.';
COMMENT ON COLUMN rm_orders.status      IS 'DRAFT, PLACED, PAID, SHIPPED, DELIVERED or CANCELLED.';
COMMENT ON COLUMN rm_orders.customer_id IS 'Public id of the customer, if any.';
COMMENT ON COLUMN rm_orders.currency    IS 'ISO 4217 currency of the order.';
COMMENT ON COLUMN rm_orders.total       IS 'Sum of quantity x unit price of the items.';
COMMENT ON COLUMN rm_orders.item_count  IS 'Number of units in the order.';
COMMENT ON COLUMN rm_orders.version     IS 'Version of the last event applied.';
COMMENT ON COLUMN rm_orders.created_at  IS 'When the order was created.';
COMMENT ON COLUMN rm_orders.updated_at  IS 'When the last event was appended.';

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['es_order_events', 'es_idempotency_keys', 'rm_orders'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
                       USING      (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
                       WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    END LOOP;
END $$;

-- History cannot be rewritten by the service: events are INSERT and SELECT only.
GRANT SELECT, INSERT ON es_order_events TO tessera_app;
GRANT SELECT, INSERT, DELETE ON es_idempotency_keys TO tessera_app;
GRANT UPDATE (status, response, etag, location) ON es_idempotency_keys TO tessera_app;
GRANT SELECT, INSERT, UPDATE ON rm_orders TO tessera_app;
GRANT SELECT ON es_order_events, rm_orders TO tessera_readonly;
