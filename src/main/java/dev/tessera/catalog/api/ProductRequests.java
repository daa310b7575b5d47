package dev.tessera.catalog.api;

import java.math.BigDecimal;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.tessera.catalog.domain.ProductChanges;
import dev.tessera.catalog.domain.ProductDraft;

/** Request bodies of the products API. */
public final class ProductRequests {

    static final String SKU = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";
    static final String CURRENCY = "[A-Z]{3}";
    /** PostgreSQL text cannot hold U+0000; refuse it here rather than fail in the database. */
    static final String NO_NUL = "(?s)[^\\x00]*";
    static final String NUL_MESSAGE = "must not contain the NUL character";

    private ProductRequests() {
    }

    /** Body of {@code POST /api/products}. */
    public record CreateProduct(
            @NotNull @Pattern(regexp = SKU, message = "must be 1 to 64 letters, digits, '.', '_' or '-'") String sku,
            @NotBlank @Size(max = 200) @Pattern(regexp = NO_NUL, message = NUL_MESSAGE) String name,
            @Size(max = 2000) @Pattern(regexp = NO_NUL, message = NUL_MESSAGE) String description,
            @NotNull @DecimalMin("0.00") @DecimalMax("9999999999.99") @Digits(integer = 10, fraction = 2) BigDecimal price,
            @NotNull @Pattern(regexp = CURRENCY, message = "must be an ISO 4217 code such as EUR") String currency) {

        ProductDraft toDraft() {
            return new ProductDraft(sku, name.strip(), description, price, currency);
        }
    }

    /** Body of {@code PATCH /api/products/{id}}: absent or null fields stay; an empty description clears it. */
    public record UpdateProduct(
            @Pattern(regexp = SKU, message = "must be 1 to 64 letters, digits, '.', '_' or '-'") String sku,
            @Size(min = 1, max = 200) @Pattern(regexp = "(?s)[^\\x00]*\\S[^\\x00]*", message = "must not be blank or contain NUL")
            String name,
            @Size(max = 2000) @Pattern(regexp = NO_NUL, message = NUL_MESSAGE) String description,
            @DecimalMin("0.00") @DecimalMax("9999999999.99") @Digits(integer = 10, fraction = 2) BigDecimal price,
            @Pattern(regexp = CURRENCY, message = "must be an ISO 4217 code such as EUR") String currency) {

        ProductChanges toChanges() {
            return new ProductChanges(sku, name == null ? null : name.strip(), description, price, currency);
        }
    }
}
