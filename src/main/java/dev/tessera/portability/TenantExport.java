package dev.tessera.portability;

import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.shared.error.Conflict;
import dev.tessera.shared.error.ProblemType;
import dev.tessera.tenancy.Tenant;
import dev.tessera.tenancy.TenantContext;
import dev.tessera.tenancy.TenantDataSection;
import dev.tessera.tenancy.TenantEntity;
import dev.tessera.tenancy.TenantState;
import dev.tessera.tenancy.TenantTx;
import dev.tessera.tenancy.provisioning.PlatformAudit;
import dev.tessera.tenancy.provisioning.TenantProvisioning;
import io.quarkus.arc.All;
import io.smallrye.mutiny.Multi;
import io.vertx.core.json.JsonObject;

/**
 * Streams all of a tenant's data as NDJSON lines: a header, every section in order, and an end line
 * with the count of each kind (so that an importer can tell a complete file from a cut-off download).
 *
 * <p>Constant memory: the lines come from server-side cursors inside ONE read-only REPEATABLE READ
 * transaction (TenantTx.stream), a fetch at a time as the HTTP response asks for more; nothing is
 * collected, and the only state is one counter per kind. The snapshot makes the file consistent:
 * an order event written during the export is either wholly in it or not at all.
 */
@ApplicationScoped
public class TenantExport {

    /** Version of the file format; an import refuses any other. */
    public static final int FORMAT_VERSION = 1;

    private final TenantTx tx;
    private final TenantProvisioning provisioning;
    private final PlatformAudit audit;
    private final List<TenantDataSection> sections;

    TenantExport(TenantTx tx, TenantProvisioning provisioning, PlatformAudit audit, @All List<TenantDataSection> sections) {
        this.tx = tx;
        this.provisioning = provisioning;
        this.audit = audit;
        this.sections = sections.stream().sorted(Comparator.comparingInt(TenantDataSection::position)).toList();
    }

    /** The tenant's lines; 404 for an unknown tenant, 409 for one still being provisioned. Audited. */
    public Multi<JsonObject> export(UUID tenantId, String actor) {
        return provisioning.find(tenantId).map(TenantEntity::toTenant).invoke(t -> {
            if (t.state() == TenantState.PROVISIONING) {
                throw new Conflict(ProblemType.TENANT_STATE_CONFLICT, "A tenant still being provisioned has nothing to export");
            }
        }).call(t -> audit.record(actor, "tenant.export", t.id(), new JsonObject().put("formatVersion", FORMAT_VERSION)))
                .onItem().transformToMulti(this::lines);
    }

    private Multi<JsonObject> lines(Tenant tenant) {
        TenantContext context = new TenantContext(tenant, "system:export", Set.of());
        return tx.stream(context, conn -> {
            Map<String, Long> counts = new LinkedHashMap<>();
            Multi<JsonObject> header = Multi.createFrom().item(() -> header(tenant));
            // Each section is subscribed only when the one before has completed: they share the connection.
            List<Multi<JsonObject>> body = sections.stream().map(s -> s.export(conn, context)
                    .invoke(line -> counts.merge(s.kind(), 1L, Long::sum))).toList();
            Multi<JsonObject> end = Multi.createFrom().item(() -> new JsonObject().put("kind", "end")
                    .put("counts", new JsonObject(new LinkedHashMap<>(counts))));
            return Multi.createBy().concatenating().streams(concat(header, body, end));
        });
    }

    private static List<Multi<JsonObject>> concat(Multi<JsonObject> header, List<Multi<JsonObject>> body,
            Multi<JsonObject> end) {
        var all = new java.util.ArrayList<Multi<JsonObject>>();
        all.add(header);
        all.addAll(body);
        all.add(end);
        return all;
    }

    private static JsonObject header(Tenant t) {
        return new JsonObject().put("kind", "header").put("formatVersion", FORMAT_VERSION)
                .put("tenantId", t.id().toString()).put("slug", t.slug()).put("name", t.name())
                .put("isolation", t.isolation().name()).put("state", t.state().name())
                .put("exportedAt", OffsetDateTime.now().toString());
    }
}
