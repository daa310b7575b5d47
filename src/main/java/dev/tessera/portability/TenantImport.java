package dev.tessera.portability;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.shared.error.Conflict;
import dev.tessera.shared.error.ProblemType;
import dev.tessera.tenancy.TenantContext;
import dev.tessera.tenancy.TenantDataSection;
import dev.tessera.tenancy.TenantEntity;
import dev.tessera.tenancy.TenantState;
import dev.tessera.tenancy.TenantTx;
import dev.tessera.tenancy.provisioning.PlatformAudit;
import dev.tessera.tenancy.provisioning.TenantProvisioning;
import io.quarkus.arc.All;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Restores an export into an existing, ACTIVE and empty tenant, all or nothing: every line, the
 * projection rebuild and the platform audit entry run in ONE tenant transaction, so a bad line anywhere
 * leaves the tenant exactly as empty as it was.
 */
@ApplicationScoped
public class TenantImport {

    /** What an import wrote, by kind, and what it deliberately skipped (the audit trail). */
    public record Report(UUID tenantId, Map<String, Long> imported, Map<String, Long> skipped) {
    }

    // Two imports into one tenant would both find it empty; the second waits, then finds it full.
    static final String LOCK = "SELECT pg_advisory_xact_lock(hashtextextended('tessera.import:' || $1, 0))";

    private final TenantTx tx;
    private final TenantProvisioning provisioning;
    private final PlatformAudit audit;
    private final List<TenantDataSection> sections;
    private final Map<String, TenantDataSection> byKind;

    TenantImport(TenantTx tx, TenantProvisioning provisioning, PlatformAudit audit, @All List<TenantDataSection> sections) {
        this.tx = tx;
        this.provisioning = provisioning;
        this.audit = audit;
        this.sections = sections.stream().sorted(Comparator.comparingInt(TenantDataSection::position)).toList();
        this.byKind = sections.stream().collect(Collectors.toMap(TenantDataSection::kind, Function.identity()));
    }

    public Uni<Report> importInto(UUID tenantId, String body, String actor) {
        return provisioning.find(tenantId).map(TenantEntity::toTenant).flatMap(t -> {
            if (t.state() != TenantState.ACTIVE) {
                return Uni.createFrom().failure(new Conflict(ProblemType.TENANT_STATE_CONFLICT,
                        "Only an active tenant can receive an import"));
            }
            TenantContext context = new TenantContext(t, "system:import:" + actor, Set.of());
            ImportFile file = new ImportFile(byKind.keySet());
            return tx.run(context, conn -> conn.preparedQuery(LOCK).execute(Tuple.of(t.id().toString()))
                    .flatMap(x -> requireEmpty(conn))
                    .flatMap(x -> restoreAll(conn, context, file, body))
                    .flatMap(x -> finish(conn, context))
                    .flatMap(x -> audit.record(conn, actor, "tenant.import", t.id(),
                            new JsonObject().put("imported", new JsonObject(new LinkedHashMap<>(file.imported())))))
                    .map(x -> new Report(t.id(), file.imported(), file.skipped())));
        });
    }

    private Uni<Void> requireEmpty(SqlConnection conn) {
        return Multi.createFrom().iterable(sections).onItem().transformToUniAndConcatenate(s -> s.holdsData(conn))
                .collect().asList().invoke(held -> {
                    if (held.contains(true)) {
                        throw new Conflict(ProblemType.TENANT_NOT_EMPTY,
                                "The tenant already holds data; an import goes only into an empty tenant");
                    }
                }).replaceWithVoid();
    }

    private Uni<Void> restoreAll(SqlConnection conn, TenantContext context, ImportFile file, String body) {
        // One line at a time, each statement after the one before: the lines share the transaction's connection.
        return Multi.createFrom().iterable(() -> body.lines().iterator())
                .onItem().transformToUniAndConcatenate(text -> {
                    ImportFile.Line line = file.next(text);
                    if (line.json() == null) {
                        return Uni.createFrom().voidItem();
                    }
                    TenantDataSection section = byKind.get(line.kind());
                    return Uni.createFrom().deferred(() -> section.restore(conn, context, line.json()))
                            .onFailure(e -> !(e instanceof dev.tessera.shared.error.ApiException))
                            .transform(e -> file.refused(line.number(), line.kind(), e))
                            .invoke(restored -> file.counted(line.kind(), restored))
                            .replaceWithVoid();
                })
                .collect().last().invoke(x -> file.requireEnd()).replaceWithVoid();
    }

    private Uni<Void> finish(SqlConnection conn, TenantContext context) {
        return Multi.createFrom().iterable(sections).onItem().transformToUniAndConcatenate(s -> s.finishImport(conn, context))
                .collect().last().replaceWithVoid();
    }
}
