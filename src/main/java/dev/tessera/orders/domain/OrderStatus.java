package dev.tessera.orders.domain;

/** Lifecycle of an order. */
public enum OrderStatus {
    DRAFT, PLACED, PAID, SHIPPED, DELIVERED, CANCELLED
}
