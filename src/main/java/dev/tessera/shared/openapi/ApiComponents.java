package dev.tessera.shared.openapi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.examples.Example;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;

import dev.tessera.shared.error.ProblemType;

/**
 * The shared parts of the contract, declared once in {@code components} and referenced by every operation:
 * the {@code Problem} schema (RFC 9457, as {@code shared/error/Problem} writes it), one example per problem
 * type, the response headers and the request headers the API reads.
 */
final class ApiComponents {

    static final String PROBLEM = "Problem";
    static final String IF_MATCH = "IfMatch";
    static final String IDEMPOTENCY_KEY = "IdempotencyKey";
    static final String CORRELATION_ID = "CorrelationId";

    /** Request headers taken as {@code @HeaderParam}, replaced by a reference to their one declaration. */
    static final Map<String, String> REQUEST_HEADERS = Map.of("If-Match", IF_MATCH, "Idempotency-Key", IDEMPOTENCY_KEY,
            "X-Correlation-Id", CORRELATION_ID);

    private static final String VISIBLE_ASCII = "^[\\x21-\\x7E]{1,255}$";

    private ApiComponents() {
    }

    static void addTo(Components components) {
        components.addSchema(PROBLEM, problem());
        components.addSchema("FieldError", object("One rejected field or parameter")
                .addProperty("field", string("The field or parameter, e.g. `price` or `limit`"))
                .addProperty("message", string("What is wrong with it")).required(List.of("field", "message")));
        components.addHeader("ETag", header("The version of the order, `\"<version>\"`: send it back in `If-Match`", string(null))
                .example("\"3\""));
        components.addHeader("Location", header("The created resource", string(null).format("uri-reference"))
                .example("/api/products/0193a5c4-8f2e-7c4b-9d1a-2b3c4d5e6f70"));
        components.addHeader("Retry-After", header("Seconds to wait before retrying: on 503, 5 when no database "
                + "connection could be had, 1 for contention; on 429, when the tenant's share of connections may be free "
                + "(tenant-busy) or its rate limit admits the request again (rate-limited)",
                integer()).example(5));
        components.addHeader("RateLimit", header("Where the caller stands in each rate limit policy that applied "
                + "(draft-ietf-httpapi-ratelimit-headers): `r` requests remain, the burst is whole again in `t` seconds",
                string(null)).example("\"tenant\";r=199;t=1, \"subject\";r=99;t=1"));
        components.addHeader("RateLimit-Policy", header("The rate limit policies of the tenant's plan: `q` requests per "
                + "`w` seconds (the burst, and the seconds it takes to come back)", string(null))
                .example("\"tenant\";q=200;w=2, \"subject\";q=100;w=2"));
        components.addHeader("WWW-Authenticate", header("Bearer authentication is required", string(null)).example("Bearer"));
        components.addParameter(IF_MATCH, headerParameter("If-Match", "The order version the client last saw "
                + "(`\"3\"`, `W/\"3\"` or `3`); another version is 412 precondition-failed",
                string(null).pattern("^(W/)?\"?[0-9]{1,9}\"?$")).example("\"3\""));
        components.addParameter(IDEMPOTENCY_KEY, headerParameter("Idempotency-Key", "Makes the request safe to retry: "
                + "a retry with the same key and request gets the first answer; another request with the same key is "
                + "422 idempotency-key-reused. Per tenant, kept tessera.orders.idempotency-ttl (24 h)",
                string(null).pattern(VISIBLE_ASCII)).example("0f8fad5b-d9cb-469f-a165-70867728950e"));
        components.addParameter(CORRELATION_ID, headerParameter("X-Correlation-Id", "Recorded in the events' "
                + "metadata.correlationId (otherwise a random one is used)", string(null).maxLength(255))
                .example("checkout-4711"));
    }

    /** An example answer of the given problem type, registered under its slug. */
    static void addExample(Components components, ProblemType type) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("type", type.uri().toString());
        value.put("title", type.title());
        value.put("status", type.status());
        value.put("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
        Example example = OASFactory.createExample().summary(type.title()).value(value);
        components.addExample(type.slug(), example);
    }

    private static Schema problem() {
        return object("An RFC 9457 problem detail, the body of every 4xx and 5xx (`application/problem+json`)")
                .addProperty("type", string("Stable URI of the error kind, `https://tessera.dev/problems/<slug>`").format("uri"))
                .addProperty("title", string("Short summary of the error kind"))
                .addProperty("status", integer().description("The HTTP status"))
                .addProperty("detail", string("What went wrong, safe to show to a human"))
                .addProperty("instance", string("The request path").format("uri-reference"))
                .addProperty("traceId", string("The request's trace id, also in `X-Trace-Id` and the log"))
                .addProperty("errors", OASFactory.createSchema().addType(SchemaType.ARRAY)
                        .description("Field violations, for 400 validation and invalid-parameter only")
                        .items(OASFactory.createSchema().ref("FieldError")))
                .required(List.of("type", "title", "status"));
    }

    private static Schema object(String description) {
        return OASFactory.createSchema().addType(SchemaType.OBJECT).description(description);
    }

    private static Schema string(String description) {
        return OASFactory.createSchema().addType(SchemaType.STRING).description(description);
    }

    private static Schema integer() {
        return OASFactory.createSchema().addType(SchemaType.INTEGER).format("int32");
    }

    private static Header header(String description, Schema schema) {
        return OASFactory.createHeader().description(description).schema(schema);
    }

    private static Parameter headerParameter(String name, String description, Schema schema) {
        return OASFactory.createParameter().name(name).in(Parameter.In.HEADER).required(false).description(description)
                .schema(schema);
    }
}
