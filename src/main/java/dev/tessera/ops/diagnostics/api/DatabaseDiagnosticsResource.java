package dev.tessera.ops.diagnostics.api;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tessera.ops.diagnostics.DataDictionary;
import dev.tessera.ops.diagnostics.DatabaseDiagnostics;
import dev.tessera.ops.diagnostics.DbHealth;
import dev.tessera.ops.diagnostics.SlowQueries;
import dev.tessera.ops.diagnostics.StatementStatistics;
import dev.tessera.ops.diagnostics.TableBloat;
import dev.tessera.security.Roles;
import dev.tessera.shared.error.InvalidInput;
import dev.tessera.shared.paging.QueryParams;
import io.smallrye.mutiny.Uni;

/** {@code /admin/db}: read-only database diagnostics for platform administrators (statistics, never table data). */
@Path("/admin/db")
@Tag(name = "Platform administration")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.PLATFORM_ADMIN)
public class DatabaseDiagnosticsResource {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    private final DatabaseDiagnostics diagnostics;
    private final StatementStatistics statements;

    DatabaseDiagnosticsResource(DatabaseDiagnostics diagnostics, StatementStatistics statements) {
        this.diagnostics = diagnostics;
        this.statements = statements;
    }

    @GET
    @Path("health")
    @Operation(operationId = "getDatabaseHealth",
            summary = "Database size, connections vs max_connections (warning above 80%), active and waiting "
            + "queries, longest query and transaction, replication lag per replica")
    public Uni<DbHealth> health() {
        return diagnostics.health();
    }

    @GET
    @Path("slow-queries")
    @Operation(operationId = "listSlowQueries",
            summary = "Slowest statements by mean time from pg_stat_statements (limit 1-100, default 20); "
            + "available=false with instructions when the extension is missing")
    public Uni<SlowQueries> slowQueries(@QueryParam("limit") String limit) {
        Integer n = QueryParams.integer("limit", limit);
        if (n != null && (n < 1 || n > MAX_LIMIT)) {
            throw new InvalidInput("limit", "must be between 1 and " + MAX_LIMIT);
        }
        return statements.slowest(n == null ? DEFAULT_LIMIT : n);
    }

    @GET
    @Path("bloat")
    @Operation(operationId = "listTableBloat",
            summary = "Dead tuple ratio per table in every schema, tenant schemas included, worst first")
    public Uni<List<TableBloat>> bloat() {
        return diagnostics.bloat();
    }

    @GET
    @Path("dictionary")
    @Operation(operationId = "getDataDictionary",
            summary = "Every table and column of schema tessera (platform and tenant template) with type and COMMENT")
    public Uni<DataDictionary> dictionary() {
        return diagnostics.dictionary();
    }
}
