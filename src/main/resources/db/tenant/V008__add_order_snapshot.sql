-- The aggregate state of each order, written with its read-model row in the same transaction as each
-- append: a command loads this one row (plus any event after its version) instead of replaying the
-- whole stream. Nullable and without a default, so adding it rewrites nothing; rows written before it
-- exist are replayed from their events until their next command writes a snapshot.

ALTER TABLE rm_orders ADD COLUMN state jsonb;

COMMENT ON COLUMN rm_orders.state IS 'Snapshot of the whole order at rm_orders.version (format in metadata key "schema"); NULL until the next command. A cache of the stream: the events stay the truth, and the rebuild checks it.';
