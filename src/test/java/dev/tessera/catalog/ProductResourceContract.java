package dev.tessera.catalog;

import static dev.tessera.testing.Api.as;
import static dev.tessera.testing.Api.productJson;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tessera.testing.TwoTenants;
import dev.tessera.tenancy.IsolationMode;

/**
 * The products API, tried as tenant A and as tenant B. The same contract runs once per isolation mode
 * ({@link SharedProductResourceTest}, {@link SchemaProductResourceTest}): one API, one behaviour.
 */
abstract class ProductResourceContract {

    /** Isolation mode of both tenants of each test. */
    abstract IsolationMode isolation();

    private static final String PROBLEM = "https://tessera.dev/problems/";

    String a;
    String b;
    String adminA;
    String adminB;

    @BeforeEach
    void twoTenants() {
        TwoTenants t = TwoTenants.create(isolation(), isolation());
        a = t.memberA();
        b = t.memberB();
        adminA = t.adminA();
        adminB = t.adminB();
    }

    @Test
    void createdProductCanBeReadBack() {
        String id = create(a, "Blue mug");

        as(a).get("/api/products/" + id).then().statusCode(200)
                .body("id", equalTo(id)).body("name", equalTo("Blue mug"))
                .body("price", equalTo(12.50f)).body("currency", equalTo("EUR"))
                .body("deletedAt", nullValue());
    }

    @Test
    void createReturnsLocationOfTheNewProduct() {
        String body = productJson("Teapot");

        as(a).body(body).post("/api/products").then().statusCode(201)
                .header("Location", startsWith("http")).header("Location", org.hamcrest.Matchers.containsString("/api/products/"));
    }

    @Test
    void otherTenantCannotReadChangeDeleteOrRestore() {
        String id = create(a, "Secret recipe");

        as(b).get("/api/products/" + id).then().statusCode(404).body("type", equalTo(PROBLEM + "not-found"));
        as(b).body("{\"name\":\"stolen\"}").patch("/api/products/" + id).then().statusCode(404);
        as(b).delete("/api/products/" + id).then().statusCode(404);
        as(adminB).post("/api/products/" + id + "/restore").then().statusCode(404);
        as(adminB).get("/api/products/" + id + "?include=deleted").then().statusCode(404);

        as(a).get("/api/products/" + id).then().statusCode(200).body("name", equalTo("Secret recipe"));
    }

    @Test
    void listsNeverContainTheOtherTenantsRows() {
        String mine = create(a, "Mine");
        String theirs = create(b, "Theirs");

        List<String> idsOfA = as(a).get("/api/products?limit=100").then().statusCode(200).extract().path("items.id");
        List<String> idsOfB = as(b).get("/api/products?limit=100").then().statusCode(200).extract().path("items.id");

        org.assertj.core.api.Assertions.assertThat(idsOfA).contains(mine).doesNotContain(theirs);
        org.assertj.core.api.Assertions.assertThat(idsOfB).contains(theirs).doesNotContain(mine);
    }

    @Test
    void listIsKeysetPaginated() {
        List<String> created = List.of(create(a, "p1"), create(a, "p2"), create(a, "p3"));

        var first = as(a).get("/api/products?limit=2").then().statusCode(200).body("items.size()", equalTo(2))
                .body("next", notNullValue()).extract();
        String next = first.path("next");
        var second = as(a).queryParam("cursor", next).get("/api/products?limit=2").then().statusCode(200)
                .body("items.size()", equalTo(1)).body("next", nullValue()).extract();

        List<String> seen = new java.util.ArrayList<>(first.path("items.id"));
        seen.addAll(second.path("items.id"));
        org.assertj.core.api.Assertions.assertThat(seen).containsExactlyElementsOf(created);
    }

    @Test
    void listFiltersByNameCaseInsensitively() {
        create(a, "Green Tea");
        create(a, "Coffee");

        as(a).get("/api/products?q=tea").then().statusCode(200)
                .body("items.name", contains("Green Tea"));
        as(b).get("/api/products?q=tea").then().statusCode(200).body("items", empty());
    }

    @Test
    void patchChangesOnlyTheGivenFields() {
        String id = create(a, "Old name");

        as(a).body("{\"name\":\"New name\",\"price\":3.99}").patch("/api/products/" + id).then().statusCode(200)
                .body("name", equalTo("New name")).body("price", equalTo(3.99f)).body("currency", equalTo("EUR"));

        as(a).get("/api/products/" + id).then().body("name", equalTo("New name"));
    }

    @Test
    void deletedProductIsHiddenButVisibleToAdminWithIncludeDeleted() {
        String id = create(a, "Old stock");

        as(a).delete("/api/products/" + id).then().statusCode(204);

        as(a).get("/api/products/" + id).then().statusCode(404);
        as(a).get("/api/products?limit=100").then().body("items.id", not(hasItem(id)));
        as(a).get("/api/products/" + id + "?include=deleted").then().statusCode(403)
                .body("type", equalTo(PROBLEM + "forbidden"));
        as(adminA).get("/api/products/" + id + "?include=deleted").then().statusCode(200)
                .body("deletedAt", notNullValue()).body("deletedBy", equalTo(slugOf(adminA) + "-user"));
        as(adminA).get("/api/products?include=deleted&limit=100").then().body("items.id", hasItem(id));
        as(adminB).get("/api/products?include=deleted&limit=100").then().body("items.id", not(hasItem(id)));
    }

    @Test
    void deletingTwiceIs404() {
        String id = create(a, "Gone");
        as(a).delete("/api/products/" + id).then().statusCode(204);

        as(a).delete("/api/products/" + id).then().statusCode(404);
    }

    @Test
    void restoreBringsTheProductBack() {
        String id = create(a, "Back again");
        as(a).delete("/api/products/" + id).then().statusCode(204);

        as(a).post("/api/products/" + id + "/restore").then().statusCode(403);
        as(adminA).post("/api/products/" + id + "/restore").then().statusCode(200).body("deletedAt", nullValue());

        as(a).get("/api/products/" + id).then().statusCode(200);
    }

    @Test
    void restoreIs409WhenALiveProductTookTheSku() {
        String id = as(a).body("{\"sku\":\"DUP-1\",\"name\":\"First\",\"price\":1,\"currency\":\"EUR\"}")
                .post("/api/products").then().statusCode(201).extract().path("id");
        as(a).delete("/api/products/" + id).then().statusCode(204);
        as(a).body("{\"sku\":\"DUP-1\",\"name\":\"Second\",\"price\":1,\"currency\":\"EUR\"}")
                .post("/api/products").then().statusCode(201);

        as(adminA).post("/api/products/" + id + "/restore").then().statusCode(409)
                .body("type", equalTo(PROBLEM + "sku-taken"));
    }

    @Test
    void skuIsUniquePerTenantAmongLiveProductsOnly() {
        String body = "{\"sku\":\"SAME\",\"name\":\"x\",\"price\":1,\"currency\":\"EUR\"}";

        as(a).body(body).post("/api/products").then().statusCode(201);
        as(b).body(body).post("/api/products").then().statusCode(201);
        as(a).body(body).post("/api/products").then().statusCode(409).body("type", equalTo(PROBLEM + "sku-taken"));
    }

    @Test
    void patchToATakenSkuIs409() {
        as(a).body("{\"sku\":\"TAKEN\",\"name\":\"x\",\"price\":1,\"currency\":\"EUR\"}").post("/api/products").then()
                .statusCode(201);
        String id = create(a, "other");

        as(a).body("{\"sku\":\"TAKEN\"}").patch("/api/products/" + id).then().statusCode(409)
                .body("type", equalTo(PROBLEM + "sku-taken"));
    }

    @Test
    void everyListItemBelongsToTheCaller() {
        create(a, "a1");
        create(b, "b1");

        as(a).get("/api/products?limit=100").then().body("items.name", everyItem(not(equalTo("b1"))));
    }

    static String create(String token, String name) {
        return as(token).body(productJson(name)).post("/api/products").then().statusCode(201).extract().path("id");
    }

    private static String slugOf(String token) {
        String payload = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        return payload.replaceAll(".*\"tenant_id\":\"([^\"]+)\".*", "$1");
    }
}
