package dev.tessera.testing;

import java.util.UUID;

/**
 * Fixture: two fresh active tenants, A and B, with a member and an admin token for each.
 * Every tenant-facing test runs its scenario as A and tries to break it as B.
 */
public record TwoTenants(String slugA, String slugB, UUID idA, UUID idB, String memberA, String memberB, String adminA,
        String adminB) {

    public static TwoTenants create() {
        String a = TestTenants.active();
        String b = TestTenants.active();
        return new TwoTenants(a, b, TestTenants.idOf(a), TestTenants.idOf(b), TestTokens.member(a), TestTokens.member(b),
                TestTokens.admin(a), TestTokens.admin(b));
    }
}
