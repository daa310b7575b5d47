package dev.tessera.tenancy.provisioning;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** One row of tessera.platform_audit: an admin action, appended in the same transaction as the change. */
@Entity
@Table(name = "platform_audit", schema = "tessera")
public class PlatformAuditEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, columnDefinition = "text")
    public String actor;

    @Column(nullable = false, columnDefinition = "text")
    public String action;

    @Column(name = "tenant_id")
    public UUID tenantId;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public String details;

    @Column(nullable = false)
    public OffsetDateTime at;

    static PlatformAuditEntity of(String actor, String action, UUID tenantId, String detailsJson) {
        PlatformAuditEntity e = new PlatformAuditEntity();
        e.actor = actor;
        e.action = action;
        e.tenantId = tenantId;
        e.details = detailsJson;
        e.at = OffsetDateTime.now();
        return e;
    }
}
