package dev.tessera.orders.domain;

/** A command refused by a business rule. */
public final class OrderRuleViolation extends RuntimeException {

    private final OrderRule rule;

    public OrderRuleViolation(OrderRule rule, String detail) {
        super(detail, null, false, false);
        this.rule = rule;
    }

    public OrderRule rule() {
        return rule;
    }
}
