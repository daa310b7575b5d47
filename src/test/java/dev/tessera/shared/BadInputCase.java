package dev.tessera.shared;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import dev.tessera.shared.BadInputFixture.Side;
import io.restassured.response.Response;

/** One row of the bad-input catalogue: what is sent, and the status and problem type it must get. */
record BadInputCase(String name, int status, String type, boolean perTenant, Call call) {

    /** Sends the request as or against {@code me}; {@code other} is the other tenant, whose ids are foreign to {@code me}. */
    @FunctionalInterface
    interface Call {
        Response send(BadInputFixture f, Side me, Side other);
    }

    /** A case about tenant data: run once as the SHARED tenant and once as the SCHEMA tenant. */
    static BadInputCase tenant(String name, int status, String type, Call call) {
        return new BadInputCase(name, status, type, true, call);
    }

    /** A case about platform endpoints or tokens: run once. */
    static BadInputCase platform(String name, int status, String type, Call call) {
        return new BadInputCase(name, status, type, false, call);
    }

    /** Percent-encodes a query parameter value. */
    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static String chars(int n) {
        return "x".repeat(n);
    }

    static String product(String sku, String name, String price, String currency) {
        return "{\"sku\":%s,\"name\":%s,\"price\":%s,\"currency\":%s}".formatted(sku, name, price, currency);
    }
}
