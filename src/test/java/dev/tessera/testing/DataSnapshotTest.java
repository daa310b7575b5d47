package dev.tessera.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The snapshot the bad-input catalogue relies on sees every kind of committed write: an insert, a delete,
 * an update, even one that writes the same values, and a delete followed by an insert that leaves the count
 * as it was. Against the real test database (its address from the test profile), in a schema of its own.
 */
@QuarkusTest
class DataSnapshotTest {

    private Connection superuser;
    private Statement sql;

    @BeforeEach
    void table() throws Exception {
        superuser = Db.asSuperuser();
        sql = superuser.createStatement();
        sql.execute("DROP SCHEMA IF EXISTS snapshot_probe CASCADE");
        sql.execute("CREATE SCHEMA snapshot_probe");
        sql.execute("CREATE TABLE snapshot_probe.t (id int PRIMARY KEY, v text)");
        sql.execute("INSERT INTO snapshot_probe.t VALUES (1, 'a'), (2, 'b')");
    }

    @AfterEach
    void drop() throws Exception {
        sql.execute("DROP SCHEMA snapshot_probe CASCADE");
        superuser.close();
    }

    @Test
    void everyKindOfWriteChangesTheSnapshotAndAReadDoesNot() throws Exception {
        DataSnapshot snapshot = new DataSnapshot(superuser, List.of("snapshot_probe"));
        List<String> writes = List.of(
                "INSERT INTO snapshot_probe.t VALUES (3, 'c')",
                "DELETE FROM snapshot_probe.t WHERE id = 3",
                "UPDATE snapshot_probe.t SET v = 'z' WHERE id = 1",
                "UPDATE snapshot_probe.t SET v = v WHERE id = 2",
                "DELETE FROM snapshot_probe.t WHERE id = 1; INSERT INTO snapshot_probe.t VALUES (9, 'z')");

        for (String write : writes) {
            Map<String, String> before = snapshot.take();
            sql.execute("SELECT * FROM snapshot_probe.t FOR UPDATE");
            assertThat(snapshot.take()).as("a read (even FOR UPDATE) changes nothing").isEqualTo(before);

            sql.execute(write);

            assertThat(snapshot.take()).as("after %s", write).isNotEqualTo(before);
        }
    }
}
