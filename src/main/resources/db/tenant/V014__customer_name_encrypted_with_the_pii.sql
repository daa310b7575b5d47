-- A customer's name is PII like the rest (issue 21, item 5): kept in clear in display_name, it survived
-- crypto-shredding in the database and in every backup. From here on the name is written inside the
-- encrypted pii_enc document ("name"), and display_name stays NULL for a live customer. It holds only
-- the fixed text 'Erased customer' of an erased one, and, until they move, the clear names of rows
-- written before this version: a key rotation moves them into pii_enc (KeyRotation: it re-encrypts every
-- row with a clear name too), and crypto-shredding clears whatever clear name is left (KeyVersions).
-- Only a catalogue change here: no row is rewritten under the migration's lock.

ALTER TABLE customers ALTER COLUMN display_name DROP NOT NULL;

COMMENT ON COLUMN customers.display_name IS
    'NULL for a customer written since tenant V014 (the name is in pii_enc); ''Erased customer'' once erased; a clear name only on a row written before V014 that no key rotation has moved yet. Left out of the audit trail.';
