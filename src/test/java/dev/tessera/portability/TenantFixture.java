package dev.tessera.portability;

import static dev.tessera.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Fixture: a tenant with products (one soft-deleted), customers (one deleted, one erased) and two orders
 * (one shipped, one cancelled), made through the API; and the check that another tenant now answers
 * every read exactly as this one does.
 */
record TenantFixture(String token, List<String> skus, List<String> emailList, List<String> orders, int eventCount) {

    static TenantFixture seed(String admin, String label) {
        String run = label + UUID.randomUUID().toString().substring(0, 6);
        List<String> skus = List.of("MUG-" + run, "TEA-" + run, "OLD-" + run);
        List<String> products = skus.stream().map(sku -> as(admin).body("""
                {"sku":"%s","name":"Item %s","description":"Ünïcode ✓","price":%s,"currency":"EUR"}"""
                .formatted(sku, sku, sku.startsWith("TEA") ? "0.03" : "9.99")).post("/api/products").then().statusCode(201)
                .extract().<String>path("id")).toList();
        as(admin).delete("/api/products/" + products.get(2)).then().statusCode(204);
        List<String> emails = List.of("jane-" + run + "@example.com", "joe-" + run + "@example.com",
                "gone-" + run + "@example.com");
        List<String> customers = emails.stream().map(e -> as(admin).body("""
                {"displayName":"C %s","email":"%s","phone":"+44 20 7946 0958","taxId":"123-45-6789",
                 "address":"1 High St","marketingConsent":true}""".formatted(e, e)).post("/api/customers").then()
                .statusCode(201).extract().<String>path("id")).toList();
        as(admin).delete("/api/customers/" + customers.get(1)).then().statusCode(204);
        as(admin).post("/api/customers/" + customers.get(2) + "/erase").then().statusCode(204);
        String shipped = order(admin, customers.get(0));
        item(admin, shipped, products.get(0), 3);
        item(admin, shipped, products.get(1), 1);
        for (String step : List.of("place", "pay")) {
            as(admin).post("/api/orders/" + shipped + "/" + step).then().statusCode(200);
        }
        as(admin).body("{\"trackingNumber\":\"TRK-" + run + "\"}").post("/api/orders/" + shipped + "/ship").then()
                .statusCode(200);
        String cancelled = order(admin, null);
        item(admin, cancelled, products.get(1), 2);
        as(admin).body("{\"reason\":\"changed mind\"}").post("/api/orders/" + cancelled + "/cancel").then().statusCode(200);
        return new TenantFixture(admin, skus, emails, List.of(shipped, cancelled), 9);
    }

    String[] productSkus() {
        return skus.toArray(String[]::new);
    }

    String[] emails() {
        return emailList.toArray(String[]::new);
    }

    String[] orderIds() {
        return orders.toArray(String[]::new);
    }

    /** Every product, customer (PII decrypted) and order (state, events) reads the same through {@code other}. */
    void assertSameAs(String other) {
        for (String list : List.of("/api/products?include=deleted&limit=100", "/api/customers?include=deleted&limit=100")) {
            List<Map<String, Object>> mine = items(token, list);
            assertThat(mine).hasSize(3);
            assertThat(items(other, list)).isEqualTo(mine);
        }
        for (String id : orders) {
            assertThat(json(other, "/api/orders/" + id)).isEqualTo(json(token, "/api/orders/" + id));
            assertThat(items(other, "/api/orders/" + id + "/events")).isEqualTo(items(token, "/api/orders/" + id + "/events"));
        }
        assertThat(withoutTimes(items(other, "/api/orders?limit=100"))).isEqualTo(withoutTimes(items(token, "/api/orders?limit=100")))
                .hasSize(2);
    }

    private static List<Map<String, Object>> withoutTimes(List<Map<String, Object>> rows) {
        // The read model's times are when a row was written; the import writes them anew.
        return rows.stream().map(r -> {
            Map<String, Object> copy = new java.util.HashMap<>(r);
            copy.remove("createdAt");
            copy.remove("updatedAt");
            return (Map<String, Object>) copy;
        }).toList();
    }

    private static List<Map<String, Object>> items(String token, String path) {
        return as(token).get(path).then().statusCode(200).extract().jsonPath().getList("items");
    }

    private static Map<String, Object> json(String token, String path) {
        return as(token).get(path).then().statusCode(200).extract().jsonPath().getMap("$");
    }

    private static String order(String token, String customer) {
        String body = customer == null ? "{\"currency\":\"EUR\"}"
                : "{\"currency\":\"EUR\",\"customerId\":\"" + customer + "\"}";
        return as(token).body(body).post("/api/orders").then().statusCode(201).extract().path("id");
    }

    private static void item(String token, String order, String product, int qty) {
        as(token).body("{\"productId\":\"%s\",\"quantity\":%d}".formatted(product, qty))
                .post("/api/orders/" + order + "/items").then().statusCode(200);
    }
}
