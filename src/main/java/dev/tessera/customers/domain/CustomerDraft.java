package dev.tessera.customers.domain;

/** Values of a new customer, or of changes to one (null fields stay as they are). */
public record CustomerDraft(String displayName, Pii pii, Boolean marketingConsent) {
}
