package dev.tessera.shared;

import static dev.tessera.shared.BadInputCase.chars;
import static dev.tessera.shared.BadInputCase.enc;
import static dev.tessera.shared.BadInputCase.product;
import static dev.tessera.shared.BadInputCase.tenant;
import static dev.tessera.shared.BadInputFixture.as;

import java.util.stream.Stream;

/** The catalogue's rows for tenant data: products, customers, orders (commands, items, queries, events, time travel), audit. */
final class TenantDataBadInputs {

    static final String RANDOM_ID = "0193a0a0-0000-7000-8000-0000000000ff";
    static final String SQL = "' OR 1=1; DROP TABLE products; --";
    private static final String OK_PRODUCT = product("\"BI-1\"", "\"n\"", "1.00", "\"EUR\"");

    private TenantDataBadInputs() {
    }

    static Stream<BadInputCase> all() {
        return Stream.of(products(), customers(), orders(), audit(), webhooks()).flatMap(s -> s);
    }

    static Stream<BadInputCase> products() {
        return Stream.of(
                tenant("product: truncated JSON", 400, "malformed-json",
                        (f, me, o) -> as(me.member()).body("{\"sku\":\"BI-1\",\"name\":").post("/api/products")),
                tenant("product: not JSON", 400, "malformed-json", (f, me, o) -> as(me.member()).body("sku=BI-1").post("/api/products")),
                tenant("product: JSON array", 400, "malformed-json", (f, me, o) -> as(me.member()).body("[" + OK_PRODUCT + "]").post("/api/products")),
                tenant("product: NaN price", 400, "malformed-json",
                        (f, me, o) -> as(me.member()).body(product("\"BI-1\"", "\"n\"", "NaN", "\"EUR\"")).post("/api/products")),
                tenant("product: bad escape in a string", 400, "malformed-json",
                        (f, me, o) -> as(me.member()).body(product("\"BI-1\"", "\"a\\qb\"", "1", "\"EUR\"")).post("/api/products")),
                tenant("product: price is text", 400, "invalid-field",
                        (f, me, o) -> as(me.member()).body(product("\"BI-1\"", "\"n\"", "\"cheap\"", "\"EUR\"")).post("/api/products")),
                tenant("product: price is a boolean", 400, "invalid-field",
                        (f, me, o) -> as(me.member()).body(product("\"BI-1\"", "\"n\"", "true", "\"EUR\"")).post("/api/products")),
                tenant("product: sku is a number", 400, "invalid-field",
                        (f, me, o) -> as(me.member()).body(product("12345", "\"n\"", "1", "\"EUR\"")).post("/api/products")),
                tenant("product: name is an object", 400, "invalid-field",
                        (f, me, o) -> as(me.member()).body(product("\"BI-1\"", "{\"a\":1}", "1", "\"EUR\"")).post("/api/products")),
                tenant("product: price null", 400, "validation",
                        (f, me, o) -> as(me.member()).body(product("\"BI-1\"", "\"n\"", "null", "\"EUR\"")).post("/api/products")),
                tenant("product: negative price", 400, "validation",
                        (f, me, o) -> as(me.member()).body(product("\"BI-1\"", "\"n\"", "-0.01", "\"EUR\"")).post("/api/products")),
                tenant("product: absurd price", 400, "validation",
                        (f, me, o) -> as(me.member()).body(product("\"BI-1\"", "\"n\"", "1e308", "\"EUR\"")).post("/api/products")),
                tenant("product: huge name", 400, "validation",
                        (f, me, o) -> as(me.member()).body(product("\"BI-1\"", "\"" + chars(20_000) + "\"", "1", "\"EUR\"")).post("/api/products")),
                tenant("product: SQL in sku", 400, "validation",
                        (f, me, o) -> as(me.member()).body(product("\"" + SQL + "\"", "\"n\"", "1", "\"EUR\"")).post("/api/products")),
                tenant("product: JSON metacharacters in currency", 400, "validation",
                        (f, me, o) -> as(me.member()).body(product("\"BI-1\"", "\"n\"", "1", "\"\\\"}{]\"")).post("/api/products")),
                tenant("product: body over the limit", 413, "payload-too-large",
                        (f, me, o) -> as(me.member()).body(product("\"BI-1\"", "\"" + chars(300 * 1024) + "\"", "1", "\"EUR\"")).post("/api/products")),
                tenant("product: text/plain body", 415, "unsupported-media-type",
                        (f, me, o) -> as(me.member()).contentType("text/plain").body(OK_PRODUCT).post("/api/products")),
                tenant("product: XML body", 415, "unsupported-media-type",
                        (f, me, o) -> as(me.member()).contentType("application/xml").body("<sku>BI-1</sku>").post("/api/products")),
                tenant("product: asks for XML", 406, "not-acceptable",
                        (f, me, o) -> as(me.member()).accept("application/xml").body(OK_PRODUCT).post("/api/products")),
                tenant("product: PUT on the collection", 405, "method-not-allowed",
                        (f, me, o) -> as(me.member()).body(OK_PRODUCT).put("/api/products")),
                tenant("products: limit is text", 400, "invalid-parameter", (f, me, o) -> as(me.member()).get("/api/products?limit=abc")),
                tenant("products: limit overflows int", 400, "invalid-parameter",
                        (f, me, o) -> as(me.member()).get("/api/products?limit=99999999999")),
                tenant("products: negative limit", 400, "invalid-parameter", (f, me, o) -> as(me.member()).get("/api/products?limit=-1")),
                tenant("products: SQL in cursor", 400, "invalid-parameter",
                        (f, me, o) -> as(me.member()).get("/api/products?cursor=" + enc(SQL))),
                tenant("products: include=everything", 400, "invalid-parameter",
                        (f, me, o) -> as(me.member()).get("/api/products?include=everything")),
                tenant("products: q too long", 400, "invalid-parameter",
                        (f, me, o) -> as(me.member()).get("/api/products?q=" + chars(201))),
                tenant("products: NUL in q", 400, "invalid-parameter", (f, me, o) -> as(me.member()).get("/api/products?q=a%00b")),
                tenant("products: unknown query parameter", 400, "invalid-parameter",
                        (f, me, o) -> as(me.member()).get("/api/products?tenant_id=" + o.id())),
                tenant("product: SQL as id", 400, "invalid-parameter",
                        (f, me, o) -> as(me.member()).get("/api/products/" + enc(SQL).replace("+", "%20"))),
                tenant("product: another tenant's id", 404, "not-found", (f, me, o) -> as(me.member()).get("/api/products/" + o.product())),
                tenant("product: unknown id", 404, "not-found", (f, me, o) -> as(me.member()).get("/api/products/" + RANDOM_ID)),
                tenant("product patch: empty", 400, "invalid-parameter",
                        (f, me, o) -> as(me.member()).body("{}").patch("/api/products/" + me.product())),
                tenant("product patch: blank name", 400, "validation",
                        (f, me, o) -> as(me.member()).body("{\"name\":\"   \"}").patch("/api/products/" + me.product())),
                tenant("product patch: price as text", 400, "invalid-field",
                        (f, me, o) -> as(me.member()).body("{\"price\":\"free\"}").patch("/api/products/" + me.product())),
                tenant("product patch: unknown field", 400, "unknown-field",
                        (f, me, o) -> as(me.member()).body("{\"tenant_id\":\"" + o.id() + "\"}").patch("/api/products/" + me.product())),
                tenant("product patch: another tenant's product", 404, "not-found",
                        (f, me, o) -> as(me.member()).body("{\"name\":\"mine now\"}").patch("/api/products/" + o.product())),
                tenant("product delete: another tenant's product", 404, "not-found",
                        (f, me, o) -> as(me.member()).delete("/api/products/" + o.product())),
                tenant("product restore: as member", 403, "forbidden",
                        (f, me, o) -> as(me.member()).post("/api/products/" + me.product() + "/restore")),
                tenant("product restore: another tenant's product", 404, "not-found",
                        (f, me, o) -> as(me.admin()).post("/api/products/" + o.product() + "/restore")));
    }

    static Stream<BadInputCase> customers() {
        return Stream.of(
                tenant("customer: invalid email", 400, "validation",
                        (f, me, o) -> as(me.member()).body("{\"displayName\":\"d\",\"email\":\"not-an-email\"}").post("/api/customers")),
                tenant("customer: SQL in email", 400, "validation",
                        (f, me, o) -> as(me.member()).body("{\"displayName\":\"d\",\"email\":\"x@y.z" + SQL + "\"}").post("/api/customers")),
                tenant("customer: email missing", 400, "validation",
                        (f, me, o) -> as(me.member()).body("{\"displayName\":\"d\"}").post("/api/customers")),
                tenant("customer: displayName null", 400, "validation",
                        (f, me, o) -> as(me.member()).body("{\"displayName\":null,\"email\":\"n@example.com\"}").post("/api/customers")),
                tenant("customer: marketingConsent is 'yes'", 400, "invalid-field",
                        (f, me, o) -> as(me.member()).body("{\"displayName\":\"d\",\"email\":\"y@example.com\",\"marketingConsent\":\"yes\"}")
                                .post("/api/customers")),
                tenant("customer: phone of letters", 400, "validation",
                        (f, me, o) -> as(me.member()).body("{\"displayName\":\"d\",\"email\":\"p@example.com\",\"phone\":\"call me\"}")
                                .post("/api/customers")),
                tenant("customer: huge address", 400, "validation",
                        (f, me, o) -> as(me.member()).body("{\"displayName\":\"d\",\"email\":\"a@example.com\",\"address\":\"" + chars(5000) + "\"}")
                                .post("/api/customers")),
                tenant("customer: truncated JSON", 400, "malformed-json",
                        (f, me, o) -> as(me.member()).body("{\"displayName\":\"d\",\"email\":\"t@exa").post("/api/customers")),
                tenant("customers: email filter too long", 400, "invalid-parameter",
                        (f, me, o) -> as(me.member()).get("/api/customers?email=" + chars(255))),
                tenant("customers: fractional limit", 400, "invalid-parameter", (f, me, o) -> as(me.member()).get("/api/customers?limit=1.5")),
                tenant("customers: unknown query parameter", 400, "invalid-parameter",
                        (f, me, o) -> as(me.member()).get("/api/customers?sort=" + enc(SQL))),
                tenant("customer: another tenant's id", 404, "not-found", (f, me, o) -> as(me.admin()).get("/api/customers/" + o.customer())),
                tenant("customer patch: invalid email", 400, "validation",
                        (f, me, o) -> as(me.member()).body("{\"email\":\"@\"}").patch("/api/customers/" + me.customer())),
                tenant("customer erase: as member", 403, "forbidden",
                        (f, me, o) -> as(me.member()).post("/api/customers/" + me.customer() + "/erase")),
                tenant("customer erase: another tenant's customer", 404, "not-found",
                        (f, me, o) -> as(me.admin()).post("/api/customers/" + o.customer() + "/erase")),
                tenant("customer delete: malformed id", 400, "invalid-parameter",
                        (f, me, o) -> as(me.member()).delete("/api/customers/" + me.customer() + "x")));
    }

    static Stream<BadInputCase> orders() {
        return Stream.of(
                tenant("order: lower-case currency", 400, "validation",
                        (f, me, o) -> as(me.member()).body("{\"currency\":\"eur\"}").post("/api/orders")),
                tenant("order: currency missing", 400, "validation", (f, me, o) -> as(me.member()).body("{}").post("/api/orders")),
                tenant("order: customerId not a UUID", 400, "invalid-field",
                        (f, me, o) -> as(me.member()).body("{\"currency\":\"EUR\",\"customerId\":\"" + SQL + "\"}").post("/api/orders")),
                tenant("order: customerId a number", 400, "invalid-field",
                        (f, me, o) -> as(me.member()).body("{\"currency\":\"EUR\",\"customerId\":42}").post("/api/orders")),
                tenant("order: Idempotency-Key too long", 400, "invalid-parameter",
                        (f, me, o) -> as(me.member()).header("Idempotency-Key", chars(256)).body("{\"currency\":\"EUR\"}").post("/api/orders")),
                tenant("order: null body", 400, "validation", (f, me, o) -> as(me.member()).body("null").post("/api/orders")),
                tenant("item: quantity 0", 400, "validation",
                        (f, me, o) -> as(me.member()).body(item(me.product(), "0")).post("/api/orders/" + me.order() + "/items")),
                tenant("item: negative quantity", 400, "validation",
                        (f, me, o) -> as(me.member()).body(item(me.product(), "-5")).post("/api/orders/" + me.order() + "/items")),
                tenant("item: quantity overflows int", 400, "invalid-field",
                        (f, me, o) -> as(me.member()).body(item(me.product(), "99999999999")).post("/api/orders/" + me.order() + "/items")),
                tenant("item: fractional quantity", 400, "invalid-field",
                        (f, me, o) -> as(me.member()).body(item(me.product(), "1.5")).post("/api/orders/" + me.order() + "/items")),
                tenant("item: quantity as text", 400, "invalid-field",
                        (f, me, o) -> as(me.member()).body(item(me.product(), "\"three\"")).post("/api/orders/" + me.order() + "/items")),
                tenant("item: another tenant's product", 422, "unknown-product",
                        (f, me, o) -> as(me.member()).body(item(o.product(), "1")).post("/api/orders/" + me.order() + "/items")),
                tenant("item: on another tenant's order", 404, "not-found",
                        (f, me, o) -> as(me.member()).body(item(me.product(), "1")).post("/api/orders/" + o.order() + "/items")),
                tenant("item: If-Match not an ETag", 400, "invalid-parameter",
                        (f, me, o) -> as(me.member()).header("If-Match", "\"'; --\"").body(item(me.product(), "1"))
                                .post("/api/orders/" + me.order() + "/items")),
                tenant("item: If-Match of another version", 412, "precondition-failed",
                        (f, me, o) -> as(me.member()).header("If-Match", "\"99\"").body(item(me.product(), "1"))
                                .post("/api/orders/" + me.order() + "/items")),
                tenant("item remove: malformed product id", 400, "invalid-parameter",
                        (f, me, o) -> as(me.member()).delete("/api/orders/" + me.order() + "/items/not-a-uuid")),
                tenant("ship: SQL as tracking number", 400, "validation",
                        (f, me, o) -> as(me.member()).body("{\"trackingNumber\":\"" + SQL + "\"}").post("/api/orders/" + me.order() + "/ship")),
                tenant("cancel: reason null", 400, "validation",
                        (f, me, o) -> as(me.member()).body("{\"reason\":null}").post("/api/orders/" + me.order() + "/cancel")),
                tenant("cancel: huge reason", 400, "validation",
                        (f, me, o) -> as(me.member()).body("{\"reason\":\"" + chars(501) + "\"}").post("/api/orders/" + me.order() + "/cancel")),
                tenant("cancel: another tenant's order", 404, "not-found",
                        (f, me, o) -> as(me.member()).body("{\"reason\":\"r\"}").post("/api/orders/" + o.order() + "/cancel")),
                tenant("place: another tenant's order", 404, "not-found", (f, me, o) -> as(me.member()).post("/api/orders/" + o.order() + "/place")),
                tenant("orders: unknown status", 400, "invalid-parameter", (f, me, o) -> as(me.member()).get("/api/orders?status=" + enc(SQL))),
                tenant("orders: customer not a UUID", 400, "invalid-parameter", (f, me, o) -> as(me.member()).get("/api/orders?customer=42")),
                tenant("orders: unknown query parameter", 400, "invalid-parameter", (f, me, o) -> as(me.member()).get("/api/orders?page=2")),
                tenant("order: version 0", 400, "invalid-parameter", (f, me, o) -> as(me.member()).get("/api/orders/" + me.order() + "?version=0")),
                tenant("order: version is text", 400, "invalid-parameter",
                        (f, me, o) -> as(me.member()).get("/api/orders/" + me.order() + "?version=" + enc(SQL))),
                tenant("order: at without time", 400, "invalid-parameter",
                        (f, me, o) -> as(me.member()).get("/api/orders/" + me.order() + "?at=2026-01-01")),
                tenant("order: at is nonsense", 400, "invalid-parameter",
                        (f, me, o) -> as(me.member()).get("/api/orders/" + me.order() + "?at=yesterday")),
                tenant("order: before it existed", 404, "not-found",
                        (f, me, o) -> as(me.member()).get("/api/orders/" + me.order() + "?at=1970-01-01T00:00:00Z")),
                tenant("order: another tenant's order", 404, "not-found", (f, me, o) -> as(me.member()).get("/api/orders/" + o.order())),
                tenant("events: limit 0", 400, "invalid-parameter",
                        (f, me, o) -> as(me.member()).get("/api/orders/" + me.order() + "/events?limit=0")),
                tenant("events: negative cursor", 400, "invalid-parameter",
                        (f, me, o) -> as(me.member()).get("/api/orders/" + me.order() + "/events?cursor=-1")),
                tenant("events: another tenant's order", 404, "not-found",
                        (f, me, o) -> as(me.member()).get("/api/orders/" + o.order() + "/events")));
    }

    static Stream<BadInputCase> audit() {
        return Stream.of(
                tenant("audit: as member", 403, "forbidden", (f, me, o) -> as(me.member()).get("/api/audit")),
                tenant("audit verify: as member", 403, "forbidden", (f, me, o) -> as(me.member()).get("/api/audit/verify")),
                tenant("audit: from is nonsense", 400, "invalid-parameter", (f, me, o) -> as(me.admin()).get("/api/audit?from=" + enc(SQL))),
                tenant("audit: recordId not a UUID", 400, "invalid-parameter", (f, me, o) -> as(me.admin()).get("/api/audit?recordId=1")),
                tenant("audit: cursor not ours", 400, "invalid-parameter", (f, me, o) -> as(me.admin()).get("/api/audit?cursor=YToxeA")),
                tenant("audit: limit too big", 400, "invalid-parameter", (f, me, o) -> as(me.admin()).get("/api/audit?limit=1000")),
                tenant("audit: table name too long", 400, "invalid-parameter", (f, me, o) -> as(me.admin()).get("/api/audit?table=" + chars(64))),
                tenant("audit: unknown query parameter", 400, "invalid-parameter",
                        (f, me, o) -> as(me.admin()).get("/api/audit?tenant=" + o.slug())));
    }

    static Stream<BadInputCase> webhooks() {
        return Stream.of(
                tenant("webhooks: as member", 403, "forbidden", (f, me, o) -> as(me.member()).get("/api/webhooks")),
                tenant("webhook: truncated JSON", 400, "malformed-json",
                        (f, me, o) -> as(me.admin()).body("{\"url\":").post("/api/webhooks")),
                tenant("webhook: no url", 400, "validation", (f, me, o) -> as(me.admin()).body("{\"enabled\":true}").post("/api/webhooks")),
                tenant("webhook: url on a private address", 400, "invalid-parameter",
                        (f, me, o) -> as(me.admin()).body("{\"url\":\"https://10.0.0.7/hook\"}").post("/api/webhooks")),
                tenant("webhook: url on the metadata address", 400, "invalid-parameter",
                        (f, me, o) -> as(me.admin()).body("{\"url\":\"https://169.254.169.254/latest/meta-data\"}").post("/api/webhooks")),
                tenant("webhook: url over plain http", 400, "invalid-parameter",
                        (f, me, o) -> as(me.admin()).body("{\"url\":\"http://hooks.example.com/in\"}").post("/api/webhooks")),
                tenant("webhook: unknown event type", 400, "invalid-parameter",
                        (f, me, o) -> as(me.admin()).body("{\"url\":\"https://hooks.example.com/in\",\"eventTypes\":[\"" + enc(SQL)
                                + "\"]}").post("/api/webhooks")),
                tenant("webhook: id not a UUID", 400, "invalid-parameter", (f, me, o) -> as(me.admin()).get("/api/webhooks/1")),
                tenant("webhook: unknown id", 404, "not-found", (f, me, o) -> as(me.admin()).get("/api/webhooks/" + RANDOM_ID)),
                tenant("webhook: rotate an unknown one", 404, "not-found",
                        (f, me, o) -> as(me.admin()).post("/api/webhooks/" + RANDOM_ID + "/rotate-secret")),
                tenant("webhook deliveries: unknown endpoint", 404, "not-found",
                        (f, me, o) -> as(me.admin()).get("/api/webhooks/" + RANDOM_ID + "/deliveries")),
                tenant("webhooks: limit too big", 400, "invalid-parameter", (f, me, o) -> as(me.admin()).get("/api/webhooks?limit=1000")),
                tenant("webhook replay: to before from", 400, "invalid-parameter",
                        (f, me, o) -> as(me.admin()).body("{\"from\":\"2026-01-02T00:00:00Z\",\"to\":\"2026-01-01T00:00:00Z\"}")
                                .post("/api/webhooks/" + RANDOM_ID + "/replay")));
    }

    private static String item(String product, String quantity) {
        return "{\"productId\":\"%s\",\"quantity\":%s}".formatted(product, quantity);
    }
}
