package dev.tessera.tenancy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A read of tenant data that costs the service one statement: a call of a {@code tessera.read_*} or
 * {@code tessera.list_*} function (db/platform/R__tenant_reads.sql) that sets the tenant context for its
 * own implicit transaction and returns the rows. Run it with {@link TenantTx#read}.
 *
 * <p>Its shape is the rule: it holds one statement and a mapping of that statement's rows, and nothing
 * that could send a second one. The door supplies the tenant context as the first three arguments, so no
 * caller can forget it or pass another tenant's.
 *
 * @param <T> what the rows are mapped to
 */
public final class TenantRead<T> {

    /** Only the context-setting functions of R__tenant_reads.sql: a plain query here would run with no tenant and see nothing. */
    private static final Pattern FUNCTION = Pattern.compile("tessera\\.(read|list)_[a-z_]+");
    static final int CONTEXT_ARGUMENTS = 3;

    private final String sql;
    private final int arguments;
    private final Function<RowSet<Row>, T> rows;

    private TenantRead(String function, int arguments, Function<RowSet<Row>, T> rows) {
        if (!FUNCTION.matcher(function).matches()) {
            throw new IllegalArgumentException("Not a tenant read function of R__tenant_reads.sql: " + function);
        }
        StringJoiner params = new StringJoiner(", ", "SELECT * FROM " + function + "(", ")");
        for (int i = 1; i <= CONTEXT_ARGUMENTS + arguments; i++) {
            params.add("$" + i);
        }
        this.sql = params.toString();
        this.arguments = arguments;
        this.rows = rows;
    }

    /**
     * The read of {@code function} (schema-qualified, {@code tessera.read_*} or {@code tessera.list_*}) with
     * {@code arguments} arguments after the tenant context, its rows mapped by {@code rows}.
     */
    public static <T> TenantRead<T> of(String function, int arguments, Function<RowSet<Row>, T> rows) {
        return new TenantRead<>(function, arguments, rows);
    }

    String sql() {
        return sql;
    }

    T map(RowSet<Row> result) {
        return rows.apply(result);
    }

    /** The tenant context (tenant, user, data schema) followed by {@code args}. */
    Tuple arguments(TenantContext tenant, Object... args) {
        if (args.length != arguments) {
            throw new IllegalArgumentException(sql + " takes " + arguments + " arguments, given " + args.length);
        }
        List<Object> all = new ArrayList<>(CONTEXT_ARGUMENTS + args.length);
        all.add(tenant.tenant().id().toString());
        all.add(tenant.userId());
        all.add(tenant.tenant().dataSchema());
        all.addAll(Arrays.asList(args));
        return Tuple.from(all);
    }

    @Override
    public String toString() {
        return sql;
    }
}
