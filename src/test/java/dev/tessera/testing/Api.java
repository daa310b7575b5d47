package dev.tessera.testing;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** REST Assured requests as a given token. */
public final class Api {

    private Api() {
    }

    public static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    /** A product creation body with a unique SKU. */
    public static String productJson(String name) {
        return """
                {"sku":"SKU-%s","name":"%s","price":12.50,"currency":"EUR"}
                """.formatted(java.util.UUID.randomUUID().toString().substring(0, 8), name);
    }
}
