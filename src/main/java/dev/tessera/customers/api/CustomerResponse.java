package dev.tessera.customers.api;

import java.time.OffsetDateTime;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.tessera.customers.domain.Customer;
import dev.tessera.customers.domain.Pii;

/**
 * A customer as the API shows it. PII, the name included, is in clear for tenant-admin and pii-reader;
 * masked for everyone else ({@code piiMasked: true}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CustomerResponse(UUID id, String displayName, String email, String phone, String taxId, String address,
        boolean piiMasked, boolean marketingConsent, OffsetDateTime createdAt, OffsetDateTime updatedAt,
        OffsetDateTime deletedAt, String deletedBy, OffsetDateTime erasedAt) {

    static CustomerResponse of(Customer c, boolean clear) {
        Pii p = clear ? c.pii() : Masking.mask(c.pii());
        String name = clear || c.erased() ? c.displayName() : Masking.name(c.displayName());
        return new CustomerResponse(c.id(), name, p.email(), p.phone(), p.taxId(), p.address(), !clear,
                c.marketingConsent(), c.createdAt(), c.updatedAt(), c.deletedAt(), c.deletedBy(), c.erasedAt());
    }
}
