package dev.tessera.audit;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.audit.persistence.AuditRepository;
import dev.tessera.tenancy.TenantContext;
import dev.tessera.tenancy.TenantDataSection;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * The audit trail in the tenant export, as records of what happened (with their hashes), last in the
 * file. The import skips these lines: replaying them would present old changes as if made now, and
 * the importing tenant's own trigger records the import's inserts in its own chain instead.
 */
@ApplicationScoped
public class AuditDataSection implements TenantDataSection {

    static final int FETCH_SIZE = 500;

    private final AuditRepository repository;

    AuditDataSection(AuditRepository repository) {
        this.repository = repository;
    }

    @Override
    public String kind() {
        return "audit";
    }

    @Override
    public int position() {
        return 90;
    }

    @Override
    public Multi<JsonObject> export(SqlConnection conn, TenantContext tenant) {
        return repository.streamAll(conn, FETCH_SIZE).map(e -> new JsonObject().put("kind", kind()).put("id", e.id())
                .put("table", e.table()).put("recordId", e.recordId() == null ? null : e.recordId().toString())
                .put("action", e.action()).put("old", e.oldData() == null ? null : new JsonObject(e.oldData()))
                .put("new", e.newData() == null ? null : new JsonObject(e.newData()))
                .put("changedColumns", e.changedColumns() == null ? null : new JsonArray(e.changedColumns()))
                .put("actor", e.actor()).put("txid", e.txid()).put("at", e.at().toString()).put("hash", e.hash()));
    }

    /** The trail alone does not make a tenant hold data: only the other sections count. */
    @Override
    public Uni<Boolean> holdsData(SqlConnection conn) {
        return Uni.createFrom().item(false);
    }

    @Override
    public Uni<Boolean> restore(SqlConnection conn, TenantContext tenant, JsonObject line) {
        return Uni.createFrom().item(false);
    }
}
