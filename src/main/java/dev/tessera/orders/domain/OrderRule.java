package dev.tessera.orders.domain;

/** The business rules an order command can break; each becomes a 409 whose problem type names it. */
public enum OrderRule {
    /** Items can change only while the order is a draft. */
    ORDER_NOT_EDITABLE,
    /** An order needs at least one item to be placed. */
    ORDER_EMPTY,
    /** Only a draft can be placed. */
    ORDER_NOT_DRAFT,
    /** Only a placed order can be paid. */
    ORDER_NOT_PLACED,
    /** Only a paid order can be shipped. */
    ORDER_NOT_PAID,
    /** Only a shipped order can be delivered. */
    ORDER_NOT_SHIPPED,
    /** Shipped, delivered or cancelled orders cannot be cancelled. */
    ORDER_NOT_CANCELLABLE,
    /** The product is not in the order. */
    ITEM_NOT_IN_ORDER,
    /** The product is priced in another currency than the order. */
    CURRENCY_MISMATCH,
    /** The order exists already. */
    ORDER_EXISTS
}
