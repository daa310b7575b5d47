package dev.tessera.catalog;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.catalog.domain.Product;
import dev.tessera.catalog.persistence.ProductRepository;
import dev.tessera.tenancy.TenantContext;
import dev.tessera.tenancy.TenantDataSection;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlConnection;

/** Products in the tenant export and import: every product, soft-deleted ones with their deletion. */
@ApplicationScoped
public class ProductDataSection implements TenantDataSection {

    static final int FETCH_SIZE = 500;

    private final ProductRepository repository;

    ProductDataSection(ProductRepository repository) {
        this.repository = repository;
    }

    @Override
    public String kind() {
        return "product";
    }

    @Override
    public int position() {
        return 10;
    }

    @Override
    public Multi<JsonObject> export(SqlConnection conn, TenantContext tenant) {
        return repository.streamAll(conn, FETCH_SIZE).map(p -> new JsonObject().put("kind", kind())
                .put("id", p.id().toString()).put("sku", p.sku()).put("name", p.name())
                .put("description", p.description()).put("price", p.price().toPlainString())
                .put("currency", p.currency()).put("createdAt", text(p.createdAt()))
                .put("updatedAt", text(p.updatedAt())).put("deletedAt", text(p.deletedAt()))
                .put("deletedBy", p.deletedBy()));
    }

    @Override
    public Uni<Boolean> holdsData(SqlConnection conn) {
        return repository.any(conn);
    }

    @Override
    public Uni<Boolean> restore(SqlConnection conn, TenantContext tenant, JsonObject l) {
        Product p = new Product(UUID.fromString(l.getString("id")), l.getString("sku"), l.getString("name"),
                l.getString("description"), new BigDecimal(l.getString("price")), l.getString("currency"),
                time(l.getString("createdAt")), time(l.getString("updatedAt")), time(l.getString("deletedAt")),
                l.getString("deletedBy"));
        return repository.insertExported(conn, p).replaceWith(true);
    }

    private static String text(OffsetDateTime t) {
        return t == null ? null : t.toString();
    }

    private static OffsetDateTime time(String s) {
        return s == null ? null : OffsetDateTime.parse(s);
    }
}
