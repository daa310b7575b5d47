package dev.tessera.tenancy.api;

import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tessera.security.Roles;
import dev.tessera.tenancy.CurrentTenant;
import dev.tessera.tenancy.IsolationMode;
import dev.tessera.tenancy.Tenant;
import dev.tessera.tenancy.TenantScoped;
import dev.tessera.tenancy.TenantState;
import io.smallrye.mutiny.Uni;

/** {@code GET /api/tenant}: the caller's own tenant. */
@Path("/api/tenant")
@TenantScoped
@Tag(name = "Tenant")
@Produces(MediaType.APPLICATION_JSON)
public class TenantResource {

    private final CurrentTenant current;

    TenantResource(CurrentTenant current) {
        this.current = current;
    }

    /** The tenant as the caller may see it. */
    public record TenantView(UUID id, String slug, String name, String plan, IsolationMode isolation, TenantState state) {
    }

    @GET
    @RolesAllowed({ Roles.TENANT_MEMBER, Roles.TENANT_ADMIN })
    @Operation(operationId = "getTenant",
            summary = "The caller's tenant: id, slug, name, plan, isolation mode and state")
    public Uni<TenantView> get() {
        Tenant t = current.get().tenant();
        return Uni.createFrom().item(new TenantView(t.id(), t.slug(), t.name(), t.plan(), t.isolation(), t.state()));
    }
}
