package dev.tessera.catalog.domain;

import dev.tessera.shared.paging.PageRequest;

/** A list request: a page, an optional case-insensitive name filter, and whether deleted rows count. */
public record ProductQuery(PageRequest page, String nameContains, boolean includeDeleted) {
}
