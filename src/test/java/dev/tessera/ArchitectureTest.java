package dev.tessera;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The package rules of STYLE.md, enforced over every feature package. No rule may pass vacuously: each
 * one refuses an empty set of classes ({@code allowEmptyShould(false)}), and the list of features below
 * must be exactly the top-level packages that exist, so a new feature cannot slip past the rules.
 */
class ArchitectureTest {

    private static final String ROOT = "dev.tessera";

    /** Every top-level package, each a feature except {@code shared}. */
    static final List<String> FEATURES = List.of("access", "audit", "catalog", "customers", "events", "limits", "ops", "orders",
            "portability", "retention", "security", "shared", "tenancy", "webhooks");

    /** Features with resources, each in an {@code api} package of its own (or of a sub-feature). */
    static final List<String> WITH_API = List.of("access", "audit", "catalog", "customers", "limits", "ops", "orders", "portability",
            "tenancy", "webhooks");

    /** Features with a domain model, which must stay free of frameworks. */
    static final List<String> WITH_DOMAIN = List.of("catalog", "customers", "orders");

    /** The packages that hold a feature's tables and SQL: reached from inside the feature only. */
    static final Map<String, List<String>> STORAGE = Map.of(
            "access", List.of("persistence"),
            "audit", List.of("persistence"),
            "catalog", List.of("persistence"),
            "customers", List.of("crypto"),
            "orders", List.of("eventstore", "projection"),
            "webhooks", List.of("persistence"));

    /** What counts as reaching the database. */
    private static final String[] DATABASE = { "io.vertx.mutiny.sqlclient..", "io.vertx.sqlclient..", "io.vertx.pgclient..",
        "io.vertx.mutiny.pgclient..", "org.hibernate..", "io.quarkus.hibernate..", "jakarta.persistence..", "java.sql..",
        "javax.sql..", "io.agroal.." };

    /** What a domain model must not know about. */
    private static final String[] FRAMEWORKS = { "io.quarkus..", "org.hibernate..", "io.vertx..", "jakarta.persistence..",
        "jakarta.ws.rs..", "jakarta.enterprise..", "io.smallrye..", "com.fasterxml..", "java.sql.." };

    static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void theRulesKnowEveryFeature() {
        Set<String> found = new TreeSet<>();
        for (JavaClass c : classes) {
            String rest = c.getPackageName().substring(ROOT.length());
            if (!rest.isEmpty()) {
                found.add(rest.substring(1).split("\\.")[0]);
            }
        }

        assertThat(found).as("top-level packages of %s", ROOT).containsExactlyInAnyOrderElementsOf(FEATURES);
    }

    @Test
    void sharedDependsOnNoFeature() {
        noClasses().that().resideInAPackage(ROOT + ".shared..")
                .should().dependOnClassesThat().resideInAnyPackage(FEATURES.stream().filter(f -> !f.equals("shared"))
                        .map(f -> ROOT + "." + f + "..").toArray(String[]::new))
                .allowEmptyShould(false)
                .check(classes);
    }

    static List<String> storedFeatures() {
        return List.copyOf(new TreeSet<>(STORAGE.keySet()));
    }

    @ParameterizedTest
    @MethodSource("storedFeatures")
    void noFeatureReachesIntoAnotherFeaturesStorage(String feature) {
        String[] storage = STORAGE.get(feature).stream().map(p -> ROOT + "." + feature + "." + p + "..")
                .toArray(String[]::new);
        assertThat(classes.that(JavaClass.Predicates.resideInAnyPackage(storage))).as("classes in %s", List.of(storage))
                .isNotEmpty();

        noClasses().that().resideOutsideOfPackage(ROOT + "." + feature + "..")
                .should().dependOnClassesThat().resideInAnyPackage(storage)
                .allowEmptyShould(false)
                .check(classes);
    }

    @ParameterizedTest
    @MethodSource("dev.tessera.ArchitectureTest#withApi")
    void resourcesDoNotTouchTheDatabase(String feature) {
        noClasses().that().resideInAPackage(ROOT + "." + feature + "..api..")
                .should().dependOnClassesThat().resideInAnyPackage(DATABASE)
                .allowEmptyShould(false)
                .check(classes);
    }

    static List<String> withApi() {
        return WITH_API;
    }

    @Test
    void resourcesLiveInApiPackages() {
        classes().that().areAnnotatedWith(jakarta.ws.rs.Path.class)
                .should().resideInAPackage("..api..")
                .allowEmptyShould(false)
                .check(classes);
    }

    @Test
    void onlyTheTenantDoorBeginsTransactions() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".tenancy..")
                .should().callMethod(io.vertx.mutiny.sqlclient.Pool.class, "getConnection")
                .orShould().callMethod(io.vertx.mutiny.sqlclient.Pool.class, "withTransaction", java.util.function.Function.class)
                .allowEmptyShould(false)
                .check(classes);
    }

    static List<String> withDomain() {
        return WITH_DOMAIN;
    }

    @ParameterizedTest
    @MethodSource("withDomain")
    void domainModelsStayFrameworkFree(String feature) {
        noClasses().that().resideInAPackage(ROOT + "." + feature + ".domain..")
                .should().dependOnClassesThat().resideInAnyPackage(FRAMEWORKS)
                .allowEmptyShould(false)
                .check(classes);
    }
}
