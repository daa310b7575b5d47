package dev.tessera.customers;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.customers.crypto.CustomerExportStore;
import dev.tessera.customers.crypto.StaleKeys;
import dev.tessera.customers.crypto.TenantKeys;
import dev.tessera.customers.domain.Customer;
import dev.tessera.customers.domain.Pii;
import dev.tessera.tenancy.TenantContext;
import dev.tessera.tenancy.TenantDataSection;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Customers in the tenant export and import, PII in clear: the export is how a tenant leaves with its
 * data, so the file is as sensitive as the tenant's customers themselves.
 */
@ApplicationScoped
public class CustomerDataSection implements TenantDataSection {

    static final int FETCH_SIZE = 200;

    private final TenantKeys keys;
    private final CustomerExportStore store;

    CustomerDataSection(TenantKeys keys, CustomerExportStore store) {
        this.keys = keys;
        this.store = store;
    }

    @Override
    public String kind() {
        return "customer";
    }

    @Override
    public int position() {
        return 20;
    }

    @Override
    public Multi<JsonObject> export(SqlConnection conn, TenantContext tenant) {
        // A tenant without keys has never stored a customer (one with ciphertext but no keys fails); the
        // export transaction is read-only, so it must not create keys either. A row under a version the
        // keystore lacks fails the export rather than leaving the customer out of the file.
        return keys.existing(conn, tenant).onItem().transformToMulti(k -> k.isEmpty() ? Multi.createFrom().<JsonObject>empty()
                : store.streamAll(conn, k.get(), FETCH_SIZE).map(this::line))
                .onFailure(StaleKeys.class).transform(e -> keys.missing(tenant));
    }

    @Override
    public Uni<Boolean> holdsData(SqlConnection conn) {
        return store.any(conn);
    }

    @Override
    public Uni<Boolean> restore(SqlConnection conn, TenantContext tenant, JsonObject l) {
        Customer c = new Customer(UUID.fromString(l.getString("id")), l.getString("displayName"),
                new Pii(l.getString("email"), l.getString("phone"), l.getString("taxId"), l.getString("address")),
                l.getBoolean("marketingConsent", false), 0, time(l.getString("createdAt")),
                time(l.getString("updatedAt")), time(l.getString("deletedAt")), l.getString("deletedBy"),
                time(l.getString("erasedAt")));
        return keys.forTenant(conn, tenant).flatMap(k -> store.insertExported(conn, k, c)).replaceWith(true);
    }

    private JsonObject line(Customer c) {
        return new JsonObject().put("kind", kind()).put("id", c.id().toString()).put("displayName", c.displayName())
                .put("email", c.pii().email()).put("phone", c.pii().phone()).put("taxId", c.pii().taxId())
                .put("address", c.pii().address()).put("marketingConsent", c.marketingConsent())
                .put("createdAt", text(c.createdAt())).put("updatedAt", text(c.updatedAt()))
                .put("deletedAt", text(c.deletedAt())).put("deletedBy", c.deletedBy())
                .put("erasedAt", text(c.erasedAt()));
    }

    private static String text(OffsetDateTime t) {
        return t == null ? null : t.toString();
    }

    private static OffsetDateTime time(String s) {
        return s == null ? null : OffsetDateTime.parse(s);
    }
}
