package dev.tessera.customers.crypto;

import dev.tessera.customers.domain.Customer;
import dev.tessera.customers.domain.Pii;
import io.vertx.mutiny.sqlclient.Row;

/**
 * How a customers row is read: the columns that decrypt its PII in either storage format, and the
 * mapping of a result row to a {@link Customer}. Keys come as a bound {@code text[]} ($1) indexed by
 * key_version, so rows of several versions decrypt in one statement.
 */
final class CustomerRows {

    static final String OPTIONS = "cipher-algo=aes256, s2k-mode=1";

    static final String META = """
            public_id, display_name, marketing_consent, key_version, created_at, updated_at, deleted_at, deleted_by,
            erased_at""";

    /**
     * A row holds either pii_enc (one message, written since tenant V007) or the four old columns.
     * pgp_sym_decrypt is STRICT: the NULL columns of the format a row does not use cost no call, so a
     * new-format row costs one decryption and an old one four, without a CASE.
     */
    static final String COLUMNS = META + """
            ,
            pgp_sym_decrypt(pii_enc,     ($1::text[])[key_version]) AS pii,
            pgp_sym_decrypt(email_enc,   ($1::text[])[key_version]) AS email,
            pgp_sym_decrypt(phone_enc,   ($1::text[])[key_version]) AS phone,
            pgp_sym_decrypt(tax_id_enc,  ($1::text[])[key_version]) AS tax_id,
            pgp_sym_decrypt(address_enc, ($1::text[])[key_version]) AS address""";

    private CustomerRows() {
    }

    /**
     * The customer of a row read with {@link #COLUMNS}. A version beyond the keys given would decrypt to
     * NULL (the array has no such element), not fail: so it is checked here, and reported as
     * {@link StaleKeys} rather than shown as a customer without PII.
     */
    static Customer decrypted(Row r, DataKeys keys) {
        if (!keys.has(r.getInteger("key_version"))) {
            throw new StaleKeys();
        }
        String document = r.getString("pii");
        if (document == null) {
            Pii pii = new Pii(r.getString("email"), r.getString("phone"), r.getString("tax_id"), r.getString("address"));
            return withPii(r, r.getString("display_name"), pii);
        }
        PiiDocument.Contents contents = PiiDocument.parse(document);
        // A document of before tenant V014 has no name: the row still holds it in clear until a rotation moves it.
        return withPii(r, contents.name() != null ? contents.name() : r.getString("display_name"), contents.pii());
    }

    /** The customer of a row read with {@link #META} only, with the name and PII the statement just wrote. */
    static Customer withPii(Row r, String name, Pii pii) {
        return new Customer(r.getUUID("public_id"), name, pii, r.getBoolean("marketing_consent"),
                r.getInteger("key_version"), r.getOffsetDateTime("created_at"), r.getOffsetDateTime("updated_at"),
                r.getOffsetDateTime("deleted_at"), r.getString("deleted_by"), r.getOffsetDateTime("erased_at"));
    }
}
