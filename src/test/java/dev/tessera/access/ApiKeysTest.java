package dev.tessera.access;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** The rules of keys that need no database: their text, who may grant what, how secrets are compared. */
class ApiKeysTest {

    @Test
    void aKeyHasTheShapeSecretScannersLookFor() {
        ApiKeyText key = ApiKeyText.generate();
        assertThat(key.text()).matches("tsk_live_[a-z2-7]{12}_[a-z2-7]{52}");
        assertThat(ApiKeyText.parse(key.text())).contains(key);
        assertThat(key.toString()).doesNotContain(key.text().substring(22));
        assertThat(ApiKeyText.generate().prefix()).isNotEqualTo(key.prefix());
        assertThat(ApiKeyText.parse(key.text() + "a")).isEmpty();
        assertThat(ApiKeyText.parse(key.text().replace('a', 'A'))).satisfiesAnyOf(p -> assertThat(key.text()).doesNotContain("a"),
                p -> assertThat(p).isEmpty());
        assertThat(ApiKeyText.parse("tsk_live_" + "_".repeat(65))).isEmpty();
        ApiKeyText rotated = ApiKeyText.withNewSecret(key.prefix());
        assertThat(rotated.prefix()).isEqualTo(key.prefix());
        assertThat(rotated.text()).isNotEqualTo(key.text());
    }

    @Test
    void aCreatorGrantsTenantRolesItHoldsOrThatTenantAdminIncludes() {
        assertThat(ApiKeys.grantableBy(Set.of("tenant-admin"))).containsExactlyInAnyOrder("tenant-admin", "tenant-member", "pii-reader");
        assertThat(ApiKeys.grantableBy(Set.of("tenant-member"))).containsExactly("tenant-member");
        assertThat(ApiKeys.grantableBy(Set.of("tenant-member", "pii-reader"))).containsExactlyInAnyOrder("tenant-member", "pii-reader");
        assertThat(ApiKeys.grantableBy(Set.of("platform-admin", "tenant-admin"))).doesNotContain("platform-admin");
    }

    @Test
    void secretsAreComparedInConstantTime() {
        JavaClasses access = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.tessera.access");
        noClasses().should().callMethod(Arrays.class, "equals", byte[].class, byte[].class)
                .because("a comparison that stops at the first differing byte tells an attacker how much of a secret matched")
                .check(access);
        assertThat(access.get(ApiKeyHash.class).getMethodCallsFromSelf())
                .anySatisfy(call -> {
                    assertThat(call.getTargetOwner().getName()).isEqualTo(MessageDigest.class.getName());
                    assertThat(call.getName()).isEqualTo("isEqual");
                });
    }
}
