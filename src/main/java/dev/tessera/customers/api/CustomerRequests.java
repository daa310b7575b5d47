package dev.tessera.customers.api;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.tessera.customers.domain.CustomerDraft;
import dev.tessera.customers.domain.Pii;

/** Request bodies of the customers API. */
public final class CustomerRequests {

    static final String TEXT = "(?s)[^\\x00]*";
    static final String PHONE = "[+0-9 ()./-]{3,32}";

    private CustomerRequests() {
    }

    /** Body of {@code POST /api/customers}. */
    public record CreateCustomer(
            @NotBlank @Size(max = 200) @Pattern(regexp = TEXT, message = "must not contain NUL") String displayName,
            @NotNull @Email @Size(max = 254) @Pattern(regexp = TEXT, message = "must not contain NUL") String email,
            @Pattern(regexp = PHONE, message = "must be 3 to 32 digits, spaces and + ( ) . / -") String phone,
            @Size(max = 64) @Pattern(regexp = TEXT, message = "must not contain NUL") String taxId,
            @Size(max = 500) @Pattern(regexp = TEXT, message = "must not contain NUL") String address,
            Boolean marketingConsent) {

        CustomerDraft toDraft() {
            return new CustomerDraft(displayName.strip(), new Pii(email.strip(), phone, taxId, address), marketingConsent);
        }
    }

    /** Body of {@code PATCH /api/customers/{id}}: absent or null fields stay as they are. */
    public record UpdateCustomer(
            @Size(min = 1, max = 200) @Pattern(regexp = "(?s)[^\\x00]*\\S[^\\x00]*", message = "must not be blank")
            String displayName,
            @Email @Size(max = 254) @Pattern(regexp = TEXT, message = "must not contain NUL") String email,
            @Pattern(regexp = PHONE, message = "must be 3 to 32 digits, spaces and + ( ) . / -") String phone,
            @Size(max = 64) @Pattern(regexp = TEXT, message = "must not contain NUL") String taxId,
            @Size(max = 500) @Pattern(regexp = TEXT, message = "must not contain NUL") String address,
            Boolean marketingConsent) {

        boolean isEmpty() {
            return displayName == null && email == null && phone == null && taxId == null && address == null
                    && marketingConsent == null;
        }

        CustomerDraft toDraft() {
            return new CustomerDraft(displayName == null ? null : displayName.strip(),
                    new Pii(email == null ? null : email.strip(), phone, taxId, address), marketingConsent);
        }
    }
}
