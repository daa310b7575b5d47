package dev.tessera.shared;

import static dev.tessera.shared.BadInputCase.chars;
import static dev.tessera.shared.BadInputCase.enc;
import static dev.tessera.shared.BadInputCase.platform;
import static dev.tessera.shared.BadInputFixture.as;
import static dev.tessera.shared.BadInputFixture.raw;
import static dev.tessera.shared.TenantDataBadInputs.RANDOM_ID;
import static dev.tessera.shared.TenantDataBadInputs.SQL;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.stream.Stream;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.tessera.testing.Api;
import dev.tessera.testing.TestTokens;
import io.smallrye.jwt.build.Jwt;

/** The catalogue's rows for platform administration (tenants, keys, projections, diagnostics) and for every bad token kind. */
final class PlatformBadInputs {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private PlatformBadInputs() {
    }

    static Stream<BadInputCase> all() {
        return Stream.concat(admin(), tokens());
    }

    static Stream<BadInputCase> admin() {
        return Stream.of(
                platform("tenant: slug too short", 400, "validation", (f, a, b) -> as(f.platformAdmin()).body(tenant("\"ab\"", "null"))
                        .post("/admin/tenants")),
                platform("tenant: SQL in slug", 400, "validation",
                        (f, a, b) -> as(f.platformAdmin()).body(tenant("\"x'; DROP SCHEMA tessera CASCADE; --\"", "null")).post("/admin/tenants")),
                platform("tenant: unknown isolation", 400, "validation",
                        (f, a, b) -> as(f.platformAdmin()).body(tenant("\"bi-iso\"", "\"BOTH\"")).post("/admin/tenants")),
                platform("tenant: plan gold", 400, "validation",
                        (f, a, b) -> as(f.platformAdmin()).body("{\"slug\":\"bi-plan\",\"name\":\"n\",\"plan\":\"gold\"}").post("/admin/tenants")),
                platform("tenant: name null", 400, "validation",
                        (f, a, b) -> as(f.platformAdmin()).body("{\"slug\":\"bi-name\",\"name\":null}").post("/admin/tenants")),
                platform("tenant: huge name", 400, "validation",
                        (f, a, b) -> as(f.platformAdmin()).body("{\"slug\":\"bi-huge\",\"name\":\"" + chars(10_000) + "\"}").post("/admin/tenants")),
                platform("tenant: truncated JSON", 400, "malformed-json",
                        (f, a, b) -> as(f.platformAdmin()).body("{\"slug\":\"bi-trunc\",").post("/admin/tenants")),
                platform("tenant: unknown field", 400, "unknown-field",
                        (f, a, b) -> as(f.platformAdmin()).body("{\"slug\":\"bi-unk\",\"name\":\"n\",\"schemaName\":\"public\"}").post("/admin/tenants")),
                platform("tenant: slug taken", 409, "slug-taken",
                        (f, a, b) -> as(f.platformAdmin()).body("{\"slug\":\"" + a.slug() + "\",\"name\":\"n\"}").post("/admin/tenants")),
                platform("tenant: created by a tenant admin", 403, "forbidden",
                        (f, a, b) -> as(a.admin()).body(tenant("\"bi-forb\"", "null")).post("/admin/tenants")),
                platform("tenants: unknown state", 400, "invalid-parameter",
                        (f, a, b) -> as(f.platformAdmin()).get("/admin/tenants?state=" + enc(SQL))),
                platform("tenants: limit is text", 400, "invalid-parameter", (f, a, b) -> as(f.platformAdmin()).get("/admin/tenants?limit=x")),
                platform("tenants: unknown query parameter", 400, "invalid-parameter",
                        (f, a, b) -> as(f.platformAdmin()).get("/admin/tenants?slug=" + a.slug())),
                platform("tenant: malformed id", 400, "invalid-parameter", (f, a, b) -> as(f.platformAdmin()).get("/admin/tenants/42")),
                platform("tenant: unknown id", 404, "not-found", (f, a, b) -> as(f.platformAdmin()).get("/admin/tenants/" + RANDOM_ID)),
                platform("tenant patch: slug", 400, "unknown-field",
                        (f, a, b) -> as(f.platformAdmin()).body("{\"slug\":\"renamed\"}").patch("/admin/tenants/" + a.id())),
                platform("tenant patch: isolation", 400, "unknown-field",
                        (f, a, b) -> as(f.platformAdmin()).body("{\"isolation\":\"SHARED\"}").patch("/admin/tenants/" + b.id())),
                platform("tenant patch: legalHold 'maybe'", 400, "invalid-field",
                        (f, a, b) -> as(f.platformAdmin()).body("{\"legalHold\":\"maybe\"}").patch("/admin/tenants/" + a.id())),
                platform("tenant patch: empty", 400, "invalid-parameter",
                        (f, a, b) -> as(f.platformAdmin()).body("{}").patch("/admin/tenants/" + a.id())),
                platform("tenant limits: malformed id", 400, "invalid-parameter",
                        (f, a, b) -> as(f.platformAdmin()).get("/admin/tenants/42/limits")),
                platform("tenant limits: unknown id", 404, "not-found",
                        (f, a, b) -> as(f.platformAdmin()).body("{\"rate\":5}").put("/admin/tenants/" + RANDOM_ID + "/limits")),
                platform("tenant limits: rate is text", 400, "invalid-field",
                        (f, a, b) -> as(f.platformAdmin()).body("{\"rate\":\"" + SQL.replace("\"", "") + "\"}").put("/admin/tenants/" + a.id() + "/limits")),
                platform("tenant limits: negative burst", 400, "validation",
                        (f, a, b) -> as(f.platformAdmin()).body("{\"burst\":-1}").put("/admin/tenants/" + a.id() + "/limits")),
                platform("tenant limits: connection share above 1", 400, "validation",
                        (f, a, b) -> as(f.platformAdmin()).body("{\"connectionShare\":2}").put("/admin/tenants/" + b.id() + "/limits")),
                platform("tenant limits: unknown limit", 400, "unknown-field",
                        (f, a, b) -> as(f.platformAdmin()).body("{\"unlimited\":true}").put("/admin/tenants/" + a.id() + "/limits")),
                platform("tenant limits: by a tenant admin", 403, "forbidden",
                        (f, a, b) -> as(a.admin()).body("{\"rate\":1000000}").put("/admin/tenants/" + a.id() + "/limits")),
                platform("tenant suspend: unknown id", 404, "not-found",
                        (f, a, b) -> as(f.platformAdmin()).post("/admin/tenants/" + RANDOM_ID + "/suspend")),
                platform("rebuild: batchSize 0", 400, "invalid-parameter",
                        (f, a, b) -> as(f.platformAdmin()).post("/admin/tenants/" + a.id() + "/projections/orders/rebuild?batchSize=0")),
                platform("rebuild: unknown tenant", 404, "not-found",
                        (f, a, b) -> as(f.platformAdmin()).post("/admin/tenants/" + RANDOM_ID + "/projections/orders/rebuild")),
                platform("keys rotate: malformed id", 400, "invalid-parameter",
                        (f, a, b) -> as(f.platformAdmin()).post("/admin/tenants/" + enc(SQL).replace("+", "%20") + "/keys/rotate")),
                platform("keys rotate: unknown tenant", 404, "not-found",
                        (f, a, b) -> as(f.platformAdmin()).post("/admin/tenants/" + RANDOM_ID + "/keys/rotate")),
                platform("keys rotate: as tenant admin", 403, "forbidden", (f, a, b) -> as(b.admin()).post("/admin/tenants/" + b.id() + "/keys/rotate")),
                platform("keys: no rotation yet", 404, "not-found", (f, a, b) -> as(f.platformAdmin()).get("/admin/tenants/" + RANDOM_ID + "/keys")),
                platform("slow queries: limit 0", 400, "invalid-parameter", (f, a, b) -> as(f.platformAdmin()).get("/admin/db/slow-queries?limit=0")),
                platform("slow queries: SQL as limit", 400, "invalid-parameter",
                        (f, a, b) -> as(f.platformAdmin()).get("/admin/db/slow-queries?limit=" + enc(SQL))),
                platform("db health: as tenant admin", 403, "forbidden", (f, a, b) -> as(a.admin()).get("/admin/db/health")),
                platform("db dictionary: POST", 405, "method-not-allowed", (f, a, b) -> as(f.platformAdmin()).post("/admin/db/dictionary")));
    }

    /** Every bad token kind, each trying to write a product (so "no change to data" means the write never happened). */
    static Stream<BadInputCase> tokens() {
        return Stream.of(
                write("token: none", 401, "unauthorized", (f, a) -> null),
                write("token: garbage", 401, "unauthorized", (f, a) -> "not-a-jwt"),
                write("token: alg none", 401, "unauthorized", (f, a) -> B64.encodeToString(
                        "{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "." + a.member().split("\\.")[1] + "."),
                write("token: HS256 keyed with the public key", 401, "unauthorized", (f, a) -> hs256(a.member())),
                write("token: expired", 401, "unauthorized", (f, a) -> TestTokens.claims("u").claim("tenant_id", a.slug())
                        .groups("tenant-member").issuedAt(now() - 7200).expiresAt(now() - 3600).sign(TestTokens.devKey())),
                write("token: not yet valid", 401, "unauthorized", (f, a) -> TestTokens.claims("u").claim("tenant_id", a.slug())
                        .groups("tenant-member").claim("nbf", now() + 3600).issuedAt(now() + 3600).expiresAt(now() + 4000)
                        .sign(TestTokens.devKey())),
                write("token: another audience", 401, "unauthorized", (f, a) -> Jwt.issuer(TestTokens.ISSUER).audience("other-api")
                        .subject("u").claim("tenant_id", a.slug()).groups("tenant-member").sign(TestTokens.devKey())),
                write("token: another issuer", 401, "unauthorized", (f, a) -> Jwt.issuer("https://evil.example").audience(TestTokens.AUDIENCE)
                        .subject("u").claim("tenant_id", a.slug()).groups("tenant-member").sign(TestTokens.devKey())),
                write("token: signed by a foreign key", 401, "unauthorized", (f, a) -> TestTokens.claims("u").claim("tenant_id", a.slug())
                        .groups("tenant-member").sign(TestTokens.foreignKey())),
                write("token: tampered payload", 401, "unauthorized", (f, a) -> tampered(a.member(), a.slug(), f.other(a).slug())),
                write("token: no tenant claim", 403, "tenant-claim-missing",
                        (f, a) -> TestTokens.claims("u").groups("tenant-member").sign(TestTokens.devKey())),
                write("token: tenant claim a number", 403, "tenant-claim-missing",
                        (f, a) -> TestTokens.claims("u").claim("tenant_id", 42).groups("tenant-member").sign(TestTokens.devKey())),
                write("token: unknown tenant", 403, "tenant-unknown", (f, a) -> TestTokens.member("no-such-tenant")),
                write("token: SQL as tenant", 403, "tenant-unknown", (f, a) -> TestTokens.member(SQL)),
                write("token: suspended tenant", 403, "tenant-inactive", (f, a) -> TestTokens.member(f.suspendedSlug())),
                write("token: no tenant role", 403, "forbidden", (f, a) -> TestTokens.forTenant(a.slug(), "pii-reader")),
                write("token: platform admin on tenant data", 403, "forbidden", (f, a) -> f.platformAdmin()),
                platform("token: Basic credentials", 401, "unauthorized",
                        (f, a, b) -> raw().header("Authorization", "Basic dXNlcjpwYXNz").body(Api.productJson("x")).post("/api/products")),
                platform("token: tenant member on admin API", 403, "forbidden",
                        (f, a, b) -> as(a.member()).body(tenant("\"bi-member\"", "null")).post("/admin/tenants")));
    }

    private interface TokenOf {
        String token(BadInputFixture f, BadInputFixture.Side a);
    }

    private static BadInputCase write(String name, int status, String type, TokenOf token) {
        return platform(name, status, type, (f, a, b) -> {
            String t = token.token(f, a);
            return (t == null ? raw() : as(t)).body(Api.productJson("token-case")).post("/api/products");
        });
    }

    private static String tenant(String slug, String isolation) {
        return "{\"slug\":%s,\"name\":\"n\",\"isolation\":%s}".formatted(slug, isolation);
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private static String tampered(String token, String from, String to) {
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace(from, to);
        return parts[0] + "." + B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    }

    private static String hs256(String token) {
        try {
            String input = B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                    + token.split("\\.")[1];
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Files.readAllBytes(Path.of("dev/keys/dev-signing-key.pub.pem")), "HmacSHA256"));
            return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.io.IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
