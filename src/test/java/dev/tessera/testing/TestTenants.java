package dev.tessera.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.UUID;

import dev.tessera.shared.id.UuidV7;

/** Creates tenants directly in the platform table (as the owner), for tests of the tenant API. */
public final class TestTenants {

    private TestTenants() {
    }

    /** A new active SHARED tenant with a unique slug; returns its slug. */
    public static String active() {
        return create("ACTIVE");
    }

    public static String create(String state) {
        String slug = "t-" + UUID.randomUUID().toString().substring(0, 13);
        insert(UuidV7.next(), slug, state);
        return slug;
    }

    public static UUID idOf(String slug) {
        try (Connection c = Db.asOwner()) {
            return UUID.fromString(Db.column(c, "SELECT id FROM tessera.tenants WHERE slug = ?", slug).get(0));
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void insert(UUID id, String slug, String state) {
        try (Connection c = Db.asOwner(); PreparedStatement p = c.prepareStatement(
                "INSERT INTO tessera.tenants (id, slug, name, isolation, state) VALUES (?, ?, ?, 'SHARED', ?)")) {
            p.setObject(1, id);
            p.setString(2, slug);
            p.setString(3, "Tenant " + slug);
            p.setString(4, state);
            p.executeUpdate();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
