package dev.tessera.audit.api;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tessera.audit.AuditEntry;
import dev.tessera.audit.AuditQuery;
import dev.tessera.audit.AuditTrail;
import dev.tessera.audit.ChainVerification;
import dev.tessera.security.Roles;
import dev.tessera.shared.error.InvalidInput;
import dev.tessera.shared.id.PublicIds;
import dev.tessera.shared.paging.Page;
import dev.tessera.shared.paging.PageRequest;
import dev.tessera.shared.paging.QueryParams;
import dev.tessera.tenancy.CurrentTenant;
import dev.tessera.tenancy.TenantScoped;
import io.smallrye.mutiny.Uni;

/** {@code /api/audit}: the tenant's audit trail and its tamper check, for tenant-admin. */
@Path("/api/audit")
@TenantScoped
@Tag(name = "Audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.TENANT_ADMIN)
public class AuditResource {

    private final AuditTrail trail;
    private final CurrentTenant tenant;

    AuditResource(AuditTrail trail, CurrentTenant tenant) {
        this.trail = trail;
        this.tenant = tenant;
    }

    @GET
    @Operation(operationId = "listAuditEntries",
            summary = "Audit entries, oldest first; filters table, recordId, actor, from, to (ISO-8601); keyset by limit and cursor")
    public Uni<Page<AuditEntry>> list(@QueryParam("table") String table, @QueryParam("recordId") String recordId,
            @QueryParam("actor") String actor, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        Integer l = QueryParams.integer("limit", limit);
        int size = l == null ? PageRequest.DEFAULT_LIMIT : l;
        if (size < 1 || size > PageRequest.MAX_LIMIT) {
            throw new InvalidInput("limit", "must be between 1 and " + PageRequest.MAX_LIMIT);
        }
        AuditQuery query = new AuditQuery(QueryParams.text("table", table, 63),
                recordId == null || recordId.isEmpty() ? null : PublicIds.parse("recordId", recordId),
                QueryParams.text("actor", actor, 255), time("from", from), time("to", to), decode(cursor), size);
        return trail.list(tenant.get(), query).map(rows -> page(rows, size));
    }

    @GET
    @Path("verify")
    @Operation(operationId = "verifyAuditChain",
            summary = "Walk the tenant's hash chain and report the first broken row, if any")
    public Uni<ChainVerification> verify() {
        return trail.verify(tenant.get());
    }

    private static Page<AuditEntry> page(List<AuditEntry> rows, int size) {
        if (rows.size() <= size) {
            return new Page<>(rows, null);
        }
        List<AuditEntry> items = List.copyOf(rows.subList(0, size));
        return new Page<>(items, encode(items.get(size - 1).id()));
    }

    private static String encode(long id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("a:" + id).getBytes(StandardCharsets.US_ASCII));
    }

    private static Long decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (!text.startsWith("a:")) {
                throw new IllegalArgumentException();
            }
            return Long.parseLong(text.substring(2));
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("cursor", "is not a cursor this API returned");
        }
    }

    private static OffsetDateTime time(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidInput(name, "must be an ISO-8601 time with offset, such as 2026-01-31T12:00:00Z");
        }
    }
}
