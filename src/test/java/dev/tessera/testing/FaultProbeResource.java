package dev.tessera.testing;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import dev.tessera.tenancy.CurrentTenant;
import dev.tessera.tenancy.TenantScoped;
import dev.tessera.tenancy.TenantTx;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Test-only endpoints (compiled with the tests, never shipped) that fail in the middle of tenant work,
 * through the same door the real resources use.
 */
@Path("/test-probe")
@jakarta.ws.rs.Produces(jakarta.ws.rs.core.MediaType.APPLICATION_JSON)
@TenantScoped
@RolesAllowed({ "tenant-member", "tenant-admin" })
public class FaultProbeResource {

    private final TenantTx tx;
    private final CurrentTenant tenant;

    FaultProbeResource(TenantTx tx, CurrentTenant tenant) {
        this.tx = tx;
        this.tenant = tenant;
    }

    /** Inserts a product row claiming another tenant's id: RLS WITH CHECK refuses it (42501). */
    @POST
    @Path("rls-violation/{otherTenant}")
    public Uni<java.util.Map<String, String>> rlsViolation(@PathParam("otherTenant") String otherTenant) {
        return tx.run(tenant.get(), conn -> conn.preparedQuery("""
                INSERT INTO products (tenant_id, public_id, sku, name, price, currency)
                VALUES ($1::uuid, gen_random_uuid(), 'X', 'x', 1, 'EUR')
                """).execute(Tuple.of(otherTenant)).replaceWith(java.util.Map.of("result", "inserted")));
    }

    /** Writes a product, then fails with a statement error in the same transaction. */
    @POST
    @Path("fail-after-write")
    public Uni<java.util.Map<String, String>> failAfterWrite() {
        return tx.run(tenant.get(), conn -> conn.query("""
                INSERT INTO products (public_id, sku, name, price, currency)
                VALUES (gen_random_uuid(), 'HALF-WRITTEN', 'half', 1, 'EUR')
                """).execute().flatMap(r -> conn.query("SELECT 1 / 0").execute()).replaceWith(java.util.Map.of("result", "unreachable")));
    }

    /** Writes a product, then sleeps past the statement timeout. */
    @POST
    @Path("sleep/{seconds}")
    public Uni<java.util.Map<String, String>> sleep(@PathParam("seconds") int seconds) {
        return tx.run(tenant.get(), conn -> conn.query("""
                INSERT INTO products (public_id, sku, name, price, currency)
                VALUES (gen_random_uuid(), 'SLEEPER-' || txid_current(), 'sleeper', 1, 'EUR')
                """).execute().flatMap(r -> conn.preparedQuery("SELECT pg_sleep($1)").execute(Tuple.of(seconds)))
                .replaceWith(java.util.Map.of("result", "slept")));
    }

    /** One statement through {@link TenantTx#inOneRoundTrip}: writes a product, then fails within the statement. */
    @POST
    @Path("single/fail-after-write")
    public Uni<java.util.Map<String, String>> singleFailAfterWrite() {
        return tx.inOneRoundTrip(tenant.get(), conn -> conn.preparedQuery("""
                WITH written AS (
                    INSERT INTO products (public_id, sku, name, price, currency)
                    VALUES (gen_random_uuid(), 'HALF-WRITTEN', 'half', 1, 'EUR')
                    RETURNING 1 AS one)
                SELECT 1 / (one - 1) FROM written
                """).execute().replaceWith(java.util.Map.of("result", "unreachable")));
    }

    /** One statement through {@link TenantTx#inOneRoundTrip}: what the statement sees of the tenant context. */
    @POST
    @Path("single/context")
    public Uni<java.util.Map<String, String>> singleContext() {
        return tx.inOneRoundTrip(tenant.get(), conn -> conn.preparedQuery("""
                SELECT current_setting('app.tenant_id') AS tenant,
                       current_setting('search_path')   AS path,
                       (SELECT count(*) FROM products)::text AS visible
                """).execute().map(rows -> {
            io.vertx.mutiny.sqlclient.Row row = rows.iterator().next();
            return java.util.Map.of("tenant", row.getString("tenant"), "path", row.getString("path"),
                    "visible", row.getString("visible"));
        }));
    }

    /** One statement through {@link TenantTx#inOneRoundTrip}: writes a product, then sleeps past the statement timeout. */
    @POST
    @Path("single/sleep/{seconds}")
    public Uni<java.util.Map<String, String>> singleSleep(@PathParam("seconds") int seconds) {
        return tx.inOneRoundTrip(tenant.get(), conn -> conn.preparedQuery("""
                WITH written AS (
                    INSERT INTO products (public_id, sku, name, price, currency)
                    VALUES (gen_random_uuid(), 'SLEEPER-' || txid_current(), 'sleeper', 1, 'EUR')
                    RETURNING 1)
                SELECT pg_sleep($1) FROM written
                """).execute(Tuple.of(seconds)).replaceWith(java.util.Map.of("result", "slept")));
    }

    /**
     * A misuse of {@link TenantTx#inOneRoundTrip}: a statement chained on a result. It would run after
     * COMMIT, with no tenant context, and silently count nothing; the door refuses to send it.
     */
    @POST
    @Path("single/statement-after-commit")
    public Uni<java.util.Map<String, String>> singleStatementAfterCommit() {
        return tx.inOneRoundTrip(tenant.get(), conn -> conn.query("SELECT 1").execute()
                .flatMap(r -> conn.query("SELECT count(*)::text AS n FROM products").execute())
                .map(rows -> java.util.Map.of("visible", rows.iterator().next().getString("n"))));
    }

    /** A command whose write fails before it sends anything, after its load wrote: nothing may be committed. */
    @POST
    @Path("command/write-fails-first")
    public Uni<java.util.Map<String, String>> commandWriteFailsFirst() {
        return tx.loadDecideWrite(tenant.get(), conn -> conn.query(insert("LOAD-WROTE")).execute(), loaded -> loaded,
                (conn, decided) -> Uni.createFrom().<java.util.Map<String, String>>failure(new IllegalStateException("no write")));
    }

    /** A command whose write sends its statement later than when subscribed (behind COMMIT): refused, nothing committed. */
    @POST
    @Path("command/write-late")
    public Uni<java.util.Map<String, String>> commandWriteLate() {
        return tx.loadDecideWrite(tenant.get(), conn -> conn.query(insert("LOAD-WROTE")).execute(), loaded -> loaded,
                (conn, decided) -> Uni.createFrom().item(1).onItem().delayIt().by(java.time.Duration.ofMillis(50))
                        .flatMap(x -> conn.query(insert("WRITE-LATE")).execute())
                        .replaceWith(java.util.Map.of("result", "unreachable")));
    }

    private static String insert(String sku) {
        return """
                INSERT INTO products (public_id, sku, name, price, currency)
                VALUES (gen_random_uuid(), '%s', 'probe', 1, 'EUR')""".formatted(sku);
    }
}
