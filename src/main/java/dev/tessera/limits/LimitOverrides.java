package dev.tessera.limits;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.vertx.core.json.JsonObject;

/**
 * One tenant's overrides of its plan's limits (tenants.limits, platform V013): each field set replaces
 * the plan's value, each field absent follows the plan. Also the body of {@code PUT /admin/tenants/{id}/limits}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LimitOverrides(
        @DecimalMin(value = "0", inclusive = false, message = "must be greater than 0") @DecimalMax(value = MAX_RATE, message = "must be at most " + MAX_RATE) Double rate,
        @Min(1) @Max(MAX_BURST) Integer burst,
        @DecimalMin(value = "0", inclusive = false, message = "must be greater than 0") @DecimalMax(value = MAX_RATE, message = "must be at most " + MAX_RATE) Double subjectRate,
        @Min(1) @Max(MAX_BURST) Integer subjectBurst,
        @DecimalMin(value = "0", inclusive = false, message = "must be greater than 0") @DecimalMax(value = MAX_RATE, message = "must be at most " + MAX_RATE) Double writeRate,
        @Min(1) @Max(MAX_BURST) Integer writeBurst,
        @DecimalMin(value = "0", inclusive = false, message = "must be greater than 0") @DecimalMax(value = "1", message = "must be at most 1") Double connectionShare,
        @Min(0) @Max(Integer.MAX_VALUE) Integer maxProducts,
        @Min(0) @Max(Integer.MAX_VALUE) Integer maxCustomers) {

    /** Highest rate an override may set, in requests per second. */
    static final String MAX_RATE = "1000000";
    /** Largest burst an override may set. */
    static final int MAX_BURST = 10_000_000;

    /** No override: the plan's limits. */
    public static final LimitOverrides NONE = new LimitOverrides(null, null, null, null, null, null, null, null, null);

    /** The overrides as stored (unknown names are ignored: a newer version may have written them). */
    public static LimitOverrides fromJson(String json) {
        if (json == null || json.isBlank() || json.equals("{}")) {
            return NONE;
        }
        JsonObject o = new JsonObject(json);
        return new LimitOverrides(number(o, "rate"), integer(o, "burst"), number(o, "subjectRate"),
                integer(o, "subjectBurst"), number(o, "writeRate"), integer(o, "writeBurst"), number(o, "connectionShare"),
                integer(o, "maxProducts"), integer(o, "maxCustomers"));
    }

    /** The overrides as stored: only the fields that are set. */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        put(o, "rate", rate);
        put(o, "burst", burst);
        put(o, "subjectRate", subjectRate);
        put(o, "subjectBurst", subjectBurst);
        put(o, "writeRate", writeRate);
        put(o, "writeBurst", writeBurst);
        put(o, "connectionShare", connectionShare);
        put(o, "maxProducts", maxProducts);
        put(o, "maxCustomers", maxCustomers);
        return o;
    }

    private static void put(JsonObject o, String name, Number value) {
        if (value != null) {
            o.put(name, value);
        }
    }

    private static Double number(JsonObject o, String name) {
        return o.getValue(name) instanceof Number n ? n.doubleValue() : null;
    }

    private static Integer integer(JsonObject o, String name) {
        return o.getValue(name) instanceof Number n ? n.intValue() : null;
    }
}
