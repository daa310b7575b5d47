package dev.tessera.customers.domain;

/** The personal data of a customer, encrypted at rest. Its toString never shows the values. */
public record Pii(String email, String phone, String taxId, String address) {

    /** This PII with the given fields replaced where they are not null. */
    public Pii merge(Pii changes) {
        return new Pii(changes.email != null ? changes.email : email, changes.phone != null ? changes.phone : phone,
                changes.taxId != null ? changes.taxId : taxId, changes.address != null ? changes.address : address);
    }

    @Override
    public String toString() {
        return "Pii[redacted]";
    }
}
