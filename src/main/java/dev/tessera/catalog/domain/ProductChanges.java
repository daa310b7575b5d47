package dev.tessera.catalog.domain;

import java.math.BigDecimal;

/** A partial update: a null field is left as it is; an empty description clears it. */
public record ProductChanges(String sku, String name, String description, BigDecimal price, String currency) {

    public boolean isEmpty() {
        return sku == null && name == null && description == null && price == null && currency == null;
    }
}
