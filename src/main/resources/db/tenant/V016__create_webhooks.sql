-- Webhooks per tenant (docs/design/webhooks.md): endpoints the tenant's admins register, the cursor
-- of the webhook feed over the committed order events, one delivery per event and endpoint, and
-- every attempt of a delivery.

CREATE TABLE wh_endpoints (
    id                          bigint      GENERATED ALWAYS AS IDENTITY,
    tenant_id                   uuid        NOT NULL DEFAULT nullif(current_setting('app.tenant_id', true), '')::uuid
                                            REFERENCES tessera.tenants (id),
    public_id                   uuid        NOT NULL,
    url                         text        NOT NULL,
    event_types                 text[]      NOT NULL,
    enabled                     boolean     NOT NULL,
    disabled_reason             text,
    disabled_at                 timestamptz,
    failing_since               timestamptz,
    secret_enc                  bytea       NOT NULL,
    secret_key_version          integer     NOT NULL,
    previous_secret_enc         bytea,
    previous_secret_key_version integer,
    previous_secret_until       timestamptz,
    from_txid                   bigint      NOT NULL DEFAULT txid_current(),
    created_at                  timestamptz NOT NULL DEFAULT now(),
    updated_at                  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_wh_endpoints          PRIMARY KEY (tenant_id, id),
    CONSTRAINT ck_wh_endpoints_previous CHECK ((previous_secret_enc IS NULL) = (previous_secret_until IS NULL))
);
CREATE UNIQUE INDEX ix_wh_endpoints_tenant_id_public_id ON wh_endpoints (tenant_id, public_id);

COMMENT ON TABLE  wh_endpoints                             IS 'Webhook endpoints of each tenant: where its committed order events are sent, signed (Standard Webhooks).';
COMMENT ON COLUMN wh_endpoints.id                          IS 'Internal key for joins; never shown by the API.';
COMMENT ON COLUMN wh_endpoints.tenant_id                   IS 'Owning tenant; defaults to app.tenant_id and is checked by RLS.';
COMMENT ON COLUMN wh_endpoints.public_id                   IS 'The id the API shows (UUIDv7).';
COMMENT ON COLUMN wh_endpoints.url                         IS 'Where deliveries are POSTed; checked against the outbound host rules at registration and before every request.';
COMMENT ON COLUMN wh_endpoints.event_types                 IS 'Order event types sent to the endpoint; empty: all.';
COMMENT ON COLUMN wh_endpoints.enabled                     IS 'Whether deliveries are sent; false by the tenant, or by the service after 410 Gone or failing too long.';
COMMENT ON COLUMN wh_endpoints.disabled_reason             IS 'Why the service disabled the endpoint (NULL when a tenant admin did, or while enabled).';
COMMENT ON COLUMN wh_endpoints.disabled_at                 IS 'When the endpoint was disabled; NULL while enabled.';
COMMENT ON COLUMN wh_endpoints.failing_since               IS 'First failed attempt since the last success; NULL while healthy.';
COMMENT ON COLUMN wh_endpoints.secret_enc                  IS 'pgp_sym_encrypt(signing secret, data key of secret_key_version).';
COMMENT ON COLUMN wh_endpoints.secret_key_version          IS 'Version of the tenant key secret_enc was written with.';
COMMENT ON COLUMN wh_endpoints.previous_secret_enc         IS 'The secret before the last rotation, still signing until previous_secret_until.';
COMMENT ON COLUMN wh_endpoints.previous_secret_key_version IS 'Version of the tenant key previous_secret_enc was written with.';
COMMENT ON COLUMN wh_endpoints.previous_secret_until       IS 'End of the rotation grace period: until then deliveries carry both signatures.';
COMMENT ON COLUMN wh_endpoints.from_txid                   IS 'Transaction that registered the endpoint: it receives the events of later transactions (txid above this one).';
COMMENT ON COLUMN wh_endpoints.created_at                  IS 'When the endpoint was registered.';
COMMENT ON COLUMN wh_endpoints.updated_at                  IS 'When the endpoint last changed.';

-- Where each tenant's webhook feed stands: events up to (txid, position) have their deliveries.
CREATE TABLE wh_feed_state (
    tenant_id uuid        NOT NULL DEFAULT nullif(current_setting('app.tenant_id', true), '')::uuid,
    txid      bigint      NOT NULL,
    position  bigint      NOT NULL,
    moved_at  timestamptz NOT NULL,
    CONSTRAINT pk_wh_feed_state PRIMARY KEY (tenant_id)
);
COMMENT ON TABLE  wh_feed_state           IS 'Cursor of each tenant''s webhook feed: deliveries exist for every committed event up to (txid, position).';
COMMENT ON COLUMN wh_feed_state.tenant_id IS 'Owning tenant; RLS-isolated.';
COMMENT ON COLUMN wh_feed_state.txid      IS 'txid of the last event fanned out to deliveries.';
COMMENT ON COLUMN wh_feed_state.position  IS 'position of the last event fanned out to deliveries.';
COMMENT ON COLUMN wh_feed_state.moved_at  IS 'When the cursor last moved.';

CREATE TABLE wh_deliveries (
    id              bigint      GENERATED ALWAYS AS IDENTITY,
    tenant_id       uuid        NOT NULL DEFAULT nullif(current_setting('app.tenant_id', true), '')::uuid,
    public_id       uuid        NOT NULL,
    endpoint_id     bigint      NOT NULL,
    event_id        uuid        NOT NULL,
    event_type      text        NOT NULL,
    body            jsonb       NOT NULL,
    status          text        NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_attempt_at timestamptz,
    delivered_at    timestamptz,
    replay_of       bigint,
    CONSTRAINT pk_wh_deliveries          PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_wh_deliveries_endpoint FOREIGN KEY (tenant_id, endpoint_id) REFERENCES wh_endpoints (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT ck_wh_deliveries_status   CHECK (status IN ('pending', 'delivered', 'dead'))
);
CREATE UNIQUE INDEX ix_wh_deliveries_tenant_id_public_id ON wh_deliveries (tenant_id, public_id);
-- One first delivery per event and endpoint, whoever fans out (replays are further rows).
CREATE UNIQUE INDEX ix_wh_deliveries_tenant_id_endpoint_id_event_id ON wh_deliveries (tenant_id, endpoint_id, event_id)
    WHERE replay_of IS NULL;
CREATE INDEX ix_wh_deliveries_tenant_id_next_attempt_at ON wh_deliveries (tenant_id, next_attempt_at) WHERE status = 'pending';
CREATE INDEX ix_wh_deliveries_tenant_id_endpoint_id_public_id ON wh_deliveries (tenant_id, endpoint_id, public_id);

COMMENT ON TABLE  wh_deliveries                 IS 'One message to one webhook endpoint: an order event, sent until the endpoint answers 2xx or the retry period ends.';
COMMENT ON COLUMN wh_deliveries.id              IS 'Internal key for joins; never shown by the API.';
COMMENT ON COLUMN wh_deliveries.tenant_id       IS 'Owning tenant; RLS-isolated.';
COMMENT ON COLUMN wh_deliveries.public_id       IS 'The id the API shows (UUIDv7).';
COMMENT ON COLUMN wh_deliveries.endpoint_id     IS 'The endpoint (wh_endpoints.id).';
COMMENT ON COLUMN wh_deliveries.event_id        IS 'The event''s id: the webhook-id header, the same on every attempt and replay.';
COMMENT ON COLUMN wh_deliveries.event_type      IS 'The order event type.';
COMMENT ON COLUMN wh_deliveries.body            IS 'The message body: the event as GET /api/orders/{id}/events shows it, with its id, tenant and order.';
COMMENT ON COLUMN wh_deliveries.status          IS 'pending (to send, or sending), delivered (2xx), dead (retry period over, or 410 Gone).';
COMMENT ON COLUMN wh_deliveries.attempts        IS 'Attempts made so far.';
COMMENT ON COLUMN wh_deliveries.next_attempt_at IS 'When a pending delivery is due; while one is being sent, the end of its sender''s lease.';
COMMENT ON COLUMN wh_deliveries.created_at      IS 'When the delivery was created; the retry period counts from here.';
COMMENT ON COLUMN wh_deliveries.last_attempt_at IS 'When the last attempt ended.';
COMMENT ON COLUMN wh_deliveries.delivered_at    IS 'When the endpoint answered 2xx.';
COMMENT ON COLUMN wh_deliveries.replay_of       IS 'The delivery this one replays (wh_deliveries.id); NULL for the first delivery of an event.';

CREATE TABLE wh_attempts (
    id           bigint      GENERATED ALWAYS AS IDENTITY,
    tenant_id    uuid        NOT NULL DEFAULT nullif(current_setting('app.tenant_id', true), '')::uuid,
    delivery_id  bigint      NOT NULL,
    attempted_at timestamptz NOT NULL,
    status_code  integer,
    latency_ms   integer     NOT NULL,
    error        text,
    CONSTRAINT pk_wh_attempts          PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_wh_attempts_delivery FOREIGN KEY (tenant_id, delivery_id) REFERENCES wh_deliveries (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX ix_wh_attempts_tenant_id_delivery_id ON wh_attempts (tenant_id, delivery_id, id);

COMMENT ON TABLE  wh_attempts              IS 'Every attempt of a webhook delivery: the delivery log.';
COMMENT ON COLUMN wh_attempts.id           IS 'Internal key, in attempt order.';
COMMENT ON COLUMN wh_attempts.tenant_id    IS 'Owning tenant; RLS-isolated.';
COMMENT ON COLUMN wh_attempts.delivery_id  IS 'The delivery (wh_deliveries.id).';
COMMENT ON COLUMN wh_attempts.attempted_at IS 'When the request was sent.';
COMMENT ON COLUMN wh_attempts.status_code  IS 'HTTP status of the answer; NULL if there was none (timeout, refused connection, refused host).';
COMMENT ON COLUMN wh_attempts.latency_ms   IS 'From sending the request to the answer or the failure, in milliseconds.';
COMMENT ON COLUMN wh_attempts.error        IS 'What went wrong, for people; NULL on success.';

ALTER TABLE wh_endpoints ENABLE ROW LEVEL SECURITY;
ALTER TABLE wh_endpoints FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON wh_endpoints
    USING      (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE wh_feed_state ENABLE ROW LEVEL SECURITY;
ALTER TABLE wh_feed_state FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON wh_feed_state
    USING      (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE wh_deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE wh_deliveries FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON wh_deliveries
    USING      (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE wh_attempts ENABLE ROW LEVEL SECURITY;
ALTER TABLE wh_attempts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON wh_attempts
    USING      (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

GRANT SELECT, INSERT, UPDATE, DELETE ON wh_endpoints TO tessera_app;
GRANT SELECT, INSERT, UPDATE ON wh_feed_state TO tessera_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON wh_deliveries TO tessera_app;
GRANT SELECT, INSERT, DELETE ON wh_attempts TO tessera_app;
GRANT SELECT (id, tenant_id, public_id, url, event_types, enabled, disabled_reason, disabled_at, failing_since,
              created_at, updated_at) ON wh_endpoints TO tessera_readonly;
GRANT SELECT ON wh_feed_state TO tessera_readonly;
GRANT SELECT (id, tenant_id, public_id, endpoint_id, event_id, event_type, status, attempts, next_attempt_at,
              created_at, last_attempt_at, delivered_at, replay_of) ON wh_deliveries TO tessera_readonly;
GRANT SELECT ON wh_attempts TO tessera_readonly;

-- Registration, changes, rotation and the service disabling an endpoint land in the audit trail;
-- the secrets never do.
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON wh_endpoints
    FOR EACH ROW EXECUTE FUNCTION audit_change('secret_enc', 'previous_secret_enc');
