package dev.tessera.tenancy;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * One kind of a tenant's data as it leaves and enters through the NDJSON export and import: each feature
 * that owns tenant data provides one, so that export and import stay complete as features are added.
 *
 * <p>Every method runs on a connection of one TenantTx transaction (RLS, the tenant's schema); lines are
 * JSON objects whose {@code kind} is {@link #kind()}.
 */
public interface TenantDataSection {

    /** The {@code kind} of this section's lines. */
    String kind();

    /** Where the section comes in the file: lower first (an import sees the lines in this order too). */
    int position();

    /** The section's lines, streamed from the database in constant memory (no collecting into lists). */
    Multi<JsonObject> export(SqlConnection conn, TenantContext tenant);

    /** Whether the tenant holds any row of this section (an import goes only into an empty tenant). */
    Uni<Boolean> holdsData(SqlConnection conn);

    /** Writes one exported line into the tenant; returns false if the section deliberately skips it. */
    Uni<Boolean> restore(SqlConnection conn, TenantContext tenant, JsonObject line);

    /** Runs once after every line of the import was restored, in the same transaction. */
    default Uni<Void> finishImport(SqlConnection conn, TenantContext tenant) {
        return Uni.createFrom().voidItem();
    }
}
