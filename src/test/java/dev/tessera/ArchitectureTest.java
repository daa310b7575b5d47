package dev.tessera;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** The package rules of STYLE.md, enforced. */
class ArchitectureTest {

    static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.tessera");
    }

    @Test
    void sharedDependsOnNoFeature() {
        noClasses().that().resideInAPackage("dev.tessera.shared..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tessera.tenancy..", "dev.tessera.catalog..",
                        "dev.tessera.customers..", "dev.tessera.orders..", "dev.tessera.audit..", "dev.tessera.ops..",
                        "dev.tessera.security..")
                .check(classes);
    }

    @Test
    void noFeatureReachesIntoAnotherFeaturesPersistence() {
        noClasses().that().resideOutsideOfPackage("dev.tessera.catalog..")
                .should().dependOnClassesThat().resideInAPackage("dev.tessera.catalog.persistence..")
                .check(classes);
    }

    @Test
    void resourcesDoNotTouchTheDatabase() {
        noClasses().that().resideInAPackage("..api..")
                .should().dependOnClassesThat().resideInAnyPackage("io.vertx.mutiny.sqlclient..", "io.vertx.sqlclient..",
                        "org.hibernate..")
                .check(classes);
    }

    @Test
    void onlyTheTenantDoorBeginsTransactions() {
        noClasses().that().resideOutsideOfPackage("dev.tessera.tenancy..")
                .should().callMethod(io.vertx.mutiny.sqlclient.Pool.class, "getConnection")
                .orShould().callMethod(io.vertx.mutiny.sqlclient.Pool.class, "withTransaction", java.util.function.Function.class)
                .check(classes);
    }

    @Test
    void ordersDomainStaysFrameworkFree() {
        noClasses().that().resideInAPackage("dev.tessera.orders.domain..")
                .should().dependOnClassesThat().resideInAnyPackage("io.quarkus..", "org.hibernate..", "io.vertx..",
                        "jakarta.persistence..")
                .allowEmptyShould(true)
                .check(classes);
    }
}
