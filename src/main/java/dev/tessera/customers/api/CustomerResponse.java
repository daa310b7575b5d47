package dev.tessera.customers.api;

import java.time.OffsetDateTime;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.tessera.customers.domain.Customer;
import dev.tessera.customers.domain.Pii;

/**
 * A customer as the API shows it. PII, the name included, is in clear for tenant-admin and pii-reader;
 * masked for everyone else ({@code piiMasked: true}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CustomerResponse(@Schema(example = "0193a5c4-9a10-7d2e-8f3a-4b5c6d7e8f90") UUID id,
        @Schema(example = "Ada Lovelace") String displayName,
        @Schema(example = "ada@example.com", description = "Masked (a***@example.com) unless the caller may read PII")
        String email,
        @Schema(example = "+44 20 7946 0958") String phone, @Schema(example = "GB123456789") String taxId,
        @Schema(example = "12 St James's Square, London") String address,
        @Schema(description = "True when PII is masked for this caller") boolean piiMasked, boolean marketingConsent,
        OffsetDateTime createdAt, OffsetDateTime updatedAt, OffsetDateTime deletedAt, String deletedBy,
        @Schema(description = "Set once the customer's PII was erased (GDPR); the PII fields are then absent")
        OffsetDateTime erasedAt) {

    static CustomerResponse of(Customer c, boolean clear) {
        Pii p = clear ? c.pii() : Masking.mask(c.pii());
        String name = clear || c.erased() ? c.displayName() : Masking.name(c.displayName());
        return new CustomerResponse(c.id(), name, p.email(), p.phone(), p.taxId(), p.address(), !clear,
                c.marketingConsent(), c.createdAt(), c.updatedAt(), c.deletedAt(), c.deletedBy(), c.erasedAt());
    }
}
