package dev.tessera.orders.command;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.tessera.orders.domain.OrderRule;
import dev.tessera.shared.error.ProblemType;

/** Each business rule of an order is refused as a 409 whose problem type names that rule. Plain JUnit. */
class OrderRuleProblemTest {

    @ParameterizedTest
    @EnumSource(OrderRule.class)
    void eachRuleIsA409NamedAfterIt(OrderRule rule) {
        ProblemType type = OrderCommands.problemType(rule);

        assertThat(type.name()).isEqualTo(rule.name());
        assertThat(type.status()).isEqualTo(409);
    }
}
