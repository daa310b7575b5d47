package dev.tessera.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.tessera.ops.MigrationSafety.Rule;
import dev.tessera.ops.MigrationSafety.Violation;

/**
 * Every migration must be safe to run while the previous release serves traffic (docs/migrations.md).
 *
 * <p>Rules apply to tables that the script did not create itself: those may be large and in use.
 */
class MigrationSafetyTest {

    private static final Path MIGRATIONS = Path.of("src/main/resources/db");

    /**
     * Grandfathered statements, as "script | rule | table" with the reason they were acceptable when they
     * shipped. Never add to this list to silence the test for a new migration: follow docs/migrations.md.
     */
    private static final Map<String, String> ALLOWED = Map.of(
            // Index for the retention purge, added two scripts after products, before any release had data.
            "tenant/V004__index_products_deleted_at.sql | CREATE_INDEX_WITHOUT_CONCURRENTLY | products",
            "table created in this release, empty",
            // Uniqueness of dedicated schema names, added one script after tenants, in the same release.
            "platform/V002__create_platform_audit.sql | CREATE_INDEX_WITHOUT_CONCURRENTLY | tenants",
            "table created in this release, empty");

    @Test
    void noMigrationLocksOrRewritesAnExistingTable() {
        List<Violation> found = scripts().flatMap(MigrationSafetyTest::check).toList();

        List<String> keys = found.stream().map(MigrationSafetyTest::key).toList();

        assertThat(found).as("unsafe statements (see docs/migrations.md for the safe way)")
                .filteredOn(v -> !ALLOWED.containsKey(key(v))).isEmpty();
        assertThat(ALLOWED.keySet()).as("allow-list entries that no longer match anything: remove them")
                .allMatch(keys::contains);
    }

    @Test
    void theCheckerCatchesEachRuleOnAnExistingTable() {
        String bad = """
                CREATE INDEX ix_products_name ON products (name);
                CREATE UNIQUE INDEX ix_products_code ON tessera.products (code);
                ALTER TABLE products ADD COLUMN weight numeric NOT NULL;
                ALTER TABLE products ALTER COLUMN name TYPE varchar(500);
                ALTER TABLE ONLY products ALTER name SET DATA TYPE text;
                ALTER TABLE products ALTER COLUMN sku SET NOT NULL;
                ALTER TABLE products DROP COLUMN legacy_code;
                ALTER TABLE products ADD COLUMN a int, DROP b CASCADE;
                """;

        List<Rule> rules = MigrationSafety.check("bad.sql", bad).stream().map(Violation::rule).toList();

        assertThat(rules).containsExactly(Rule.CREATE_INDEX_WITHOUT_CONCURRENTLY, Rule.CREATE_INDEX_WITHOUT_CONCURRENTLY,
                Rule.ADD_COLUMN_NOT_NULL_WITHOUT_DEFAULT, Rule.ALTER_COLUMN_TYPE, Rule.ALTER_COLUMN_TYPE,
                Rule.ALTER_COLUMN_SET_NOT_NULL, Rule.DROP_COLUMN, Rule.DROP_COLUMN);
    }

    @Test
    void theCheckerAcceptsTheSafeFormsAndNewTables() {
        String safe = """
                -- ALTER TABLE products DROP COLUMN legacy_code; (a comment, not a statement)
                CREATE TABLE widgets (id uuid PRIMARY KEY, name text NOT NULL);
                CREATE INDEX ix_widgets_name ON widgets (name);
                ALTER TABLE widgets ADD COLUMN size int NOT NULL;
                ALTER TABLE widgets ALTER COLUMN name TYPE varchar(100);
                CREATE INDEX CONCURRENTLY ix_products_name ON products (name);
                CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_products_sku ON products (sku);
                ALTER TABLE products ADD COLUMN weight numeric;
                ALTER TABLE products ADD COLUMN archived boolean NOT NULL DEFAULT false;
                ALTER TABLE products ADD CONSTRAINT ck_products_weight CHECK (weight IS NOT NULL) NOT VALID;
                ALTER TABLE products VALIDATE CONSTRAINT ck_products_weight;
                ALTER TABLE products DROP CONSTRAINT ck_products_old;
                ALTER TABLE products ALTER COLUMN name DROP NOT NULL;
                COMMENT ON COLUMN products.weight IS 'ALTER TABLE products DROP COLUMN x; -- not SQL';
                CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$
                BEGIN
                    EXECUTE 'ALTER TABLE products DROP COLUMN y';
                END $$;
                """;

        List<Violation> found = MigrationSafety.check("safe.sql", safe);

        assertThat(found).isEmpty();
    }

    private static Stream<Path> scripts() {
        try (Stream<Path> all = Files.walk(MIGRATIONS)) {
            List<Path> list = all.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().matches("(V.+|R__.+)\\.sql"))
                    .sorted().toList();
            assertThat(list).as("migrations found under " + MIGRATIONS).isNotEmpty();
            return list.stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<Violation> check(Path script) {
        try {
            return MigrationSafety.check(MIGRATIONS.relativize(script).toString(), Files.readString(script)).stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String key(Violation v) {
        return v.script() + " | " + v.rule() + " | " + v.table();
    }
}
