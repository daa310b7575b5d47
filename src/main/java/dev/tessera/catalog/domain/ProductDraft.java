package dev.tessera.catalog.domain;

import java.math.BigDecimal;

/** The values of a new product, already validated. */
public record ProductDraft(String sku, String name, String description, BigDecimal price, String currency) {
}
