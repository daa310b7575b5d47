-- Tenant lifecycle events (provisioned, activated, suspended, offboarded) on the broker feed, with
-- platform_audit as the outbox: it is written in the same transaction as each state change
-- (docs/design/event-publication.md). The same rule as for order events: publish only rows whose txid
-- is below the snapshot's xmin, in (txid, id) order after the cursor.
--
-- Nullable, then a default for new rows: a volatile default in ADD COLUMN would rewrite the table.
-- Rows recorded before this migration keep txid NULL and are not published.
ALTER TABLE platform_audit ADD COLUMN txid bigint;
ALTER TABLE platform_audit ALTER COLUMN txid SET DEFAULT txid_current();
COMMENT ON COLUMN platform_audit.txid IS 'Transaction that recorded the action (txid_current()); with id, the order of the lifecycle feed. NULL: recorded before platform V009.';

-- The lifecycle relay's cursor and lease: one row. The lease (not a lock held through the broker's
-- confirms) lets each step be one statement on the pool, outside the tenant door.
CREATE TABLE platform_publication_state (
    id          smallint    NOT NULL,
    txid        bigint      NOT NULL,
    audit_id    bigint      NOT NULL,
    holder      text,
    lease_until timestamptz NOT NULL,
    CONSTRAINT pk_platform_publication_state PRIMARY KEY (id),
    CONSTRAINT ck_platform_publication_state_one_row CHECK (id = 1)
);
COMMENT ON TABLE  platform_publication_state             IS 'Where the tenant lifecycle feed stands: platform_audit rows up to (txid, audit_id) are confirmed by the broker.';
COMMENT ON COLUMN platform_publication_state.id          IS 'Always 1: one feed.';
COMMENT ON COLUMN platform_publication_state.txid        IS 'txid of the last published platform_audit row (0: none).';
COMMENT ON COLUMN platform_publication_state.audit_id    IS 'id of the last published platform_audit row (0: none).';
COMMENT ON COLUMN platform_publication_state.holder      IS 'The relay instance that holds the lease, if any.';
COMMENT ON COLUMN platform_publication_state.lease_until IS 'Until when the holder may publish; after that another relay may take over.';
INSERT INTO platform_publication_state (id, txid, audit_id, holder, lease_until) VALUES (1, 0, 0, NULL, '-infinity');

GRANT SELECT, UPDATE (txid, audit_id, holder, lease_until) ON platform_publication_state TO tessera_app;
GRANT SELECT ON platform_publication_state TO tessera_readonly;
