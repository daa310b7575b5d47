package dev.tessera.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.context.SmallRyeContextManagerProvider;
import io.smallrye.context.impl.ThreadContextProviderPlan;

/**
 * Every Mutiny hop of every request captures and restores the thread contexts of this plan. Narayana
 * is on the class path only for Flyway's JDBC datasource; Tessera runs no JTA transaction, so the
 * transaction context must be left unchanged rather than captured and restored at each hop.
 */
@QuarkusTest
class ContextPropagationPlanTest {

    @Test
    void theJtaTransactionContextIsNotPropagated() {
        ThreadContextProviderPlan plan = SmallRyeContextManagerProvider.getManager().defaultThreadContext().getPlan();

        assertThat(plan.propagatedProviders).extracting(p -> p.getThreadContextType())
                .doesNotContain("Transaction").contains("CDI");
        assertThat(plan.clearedProviders).extracting(p -> p.getThreadContextType()).doesNotContain("Transaction");
        assertThat(plan.unchangedProviders).extracting(p -> p.getThreadContextType()).contains("Transaction");
    }
}
