-- Publication of order events to a broker, with the event store itself as the outbox
-- (docs/design/event-publication.md).
--
-- txid: the transaction that appended the event (txid_current(), with epoch). The relay publishes
-- only events whose txid is below the xmin of its snapshot, in (txid, position) order: every
-- transaction below xmin has ended, so no event can commit later behind the relay's cursor.
--
-- Added nullable and without a default first, then given a default for new rows: a volatile default
-- in ADD COLUMN would rewrite the whole table under ACCESS EXCLUSIVE. Rows appended before this
-- migration keep txid NULL and are never published: the feed starts with this release.
ALTER TABLE es_order_events ADD COLUMN txid bigint;
ALTER TABLE es_order_events ALTER COLUMN txid SET DEFAULT txid_current();
COMMENT ON COLUMN es_order_events.txid IS 'Transaction that appended the event (txid_current()); with position, the order of the broker feed. NULL: appended before tenant V011, never published.';

-- The relay's cursor per tenant: the last event whose publication the broker confirmed.
CREATE TABLE es_publication_state (
    tenant_id    uuid        NOT NULL DEFAULT nullif(current_setting('app.tenant_id', true), '')::uuid,
    txid         bigint      NOT NULL,
    position     bigint      NOT NULL,
    published_at timestamptz NOT NULL,
    CONSTRAINT pk_es_publication_state PRIMARY KEY (tenant_id)
);
COMMENT ON TABLE  es_publication_state              IS 'Where each tenant''s broker feed stands: events up to (txid, position) are confirmed by the broker.';
COMMENT ON COLUMN es_publication_state.tenant_id    IS 'Owning tenant; RLS-isolated.';
COMMENT ON COLUMN es_publication_state.txid         IS 'txid of the last published event.';
COMMENT ON COLUMN es_publication_state.position     IS 'position of the last published event.';
COMMENT ON COLUMN es_publication_state.published_at IS 'When the cursor last moved.';

ALTER TABLE es_publication_state ENABLE ROW LEVEL SECURITY;
ALTER TABLE es_publication_state FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON es_publication_state
    USING      (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

GRANT SELECT, INSERT, UPDATE ON es_publication_state TO tessera_app;
GRANT SELECT ON es_publication_state TO tessera_readonly;
