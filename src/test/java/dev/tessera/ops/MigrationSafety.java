package dev.tessera.ops;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds migration statements that lock or rewrite a table that already holds data.
 *
 * <p>A table created in the same script is empty and new, so anything goes there; every other table
 * (created by an earlier migration, or unknown to this script) may be large and serving traffic. The
 * checker works on text: comments, string literals and dollar-quoted bodies are removed first, so that
 * SQL inside a function body or a comment is never mistaken for a statement.
 */
final class MigrationSafety {

    /** The rules, each with the reason a reviewer reads in the failure. */
    enum Rule {
        CREATE_INDEX_WITHOUT_CONCURRENTLY("blocks writes to the table while the index builds: use CREATE INDEX CONCURRENTLY"),
        ADD_COLUMN_NOT_NULL_WITHOUT_DEFAULT("fails on existing rows: add it nullable, backfill, then constrain"),
        ALTER_COLUMN_TYPE("rewrites the table under an ACCESS EXCLUSIVE lock: add a new column and backfill instead"),
        ALTER_COLUMN_SET_NOT_NULL("scans the whole table under an ACCESS EXCLUSIVE lock: add a CHECK (...) NOT VALID, VALIDATE it, then SET NOT NULL"),
        DROP_COLUMN("breaks the running version that still reads it: stop using the column in one release, drop it in a later one");

        final String why;

        Rule(String why) {
            this.why = why;
        }
    }

    /** One unsafe statement: the script, the rule, the table and the statement text (normalised). */
    record Violation(String script, Rule rule, String table, String statement) {
        @Override
        public String toString() {
            return script + ": " + rule + " on " + table + " (" + rule.why + "): " + statement;
        }
    }

    private static final String NAME = "(?:\"?[a-z_][a-z0-9_$]*\"?\\.)?\"?([a-z_][a-z0-9_$]*)\"?";
    private static final Pattern CREATE_TABLE = Pattern.compile(
            "^create\\s+(?:unlogged\\s+)?table\\s+(?:if\\s+not\\s+exists\\s+)?" + NAME);
    private static final Pattern CREATE_INDEX = Pattern.compile(
            "^create\\s+(?:unique\\s+)?index\\s+(concurrently\\s+)?.*?\\son\\s+(?:only\\s+)?" + NAME);
    private static final Pattern ALTER_TABLE = Pattern.compile(
            "^alter\\s+table\\s+(?:if\\s+exists\\s+)?(?:only\\s+)?" + NAME + "\\s+(.*)$");
    private static final Pattern ADD_COLUMN = Pattern.compile(
            "^add\\s+(?:column\\s+)?(?!constraint\\b|primary\\b|unique\\b|foreign\\b|check\\b|exclude\\b)(?:if\\s+not\\s+exists\\s+)?\\S+\\s+(.*)$");
    private static final Pattern ALTER_TYPE = Pattern.compile("^alter\\s+(?:column\\s+)?\\S+\\s+(?:set\\s+data\\s+)?type\\b.*");
    private static final Pattern SET_NOT_NULL = Pattern.compile("^alter\\s+(?:column\\s+)?\\S+\\s+set\\s+not\\s+null\\b.*");
    private static final Pattern DROP_COLUMN = Pattern.compile(
            "^drop\\s+(?:column\\s+)?(?!constraint\\b)(?:if\\s+exists\\s+)?\\S+(\\s+(cascade|restrict))?$");

    private MigrationSafety() {
    }

    /** The violations of one script, whose name is used in the report only. */
    static List<Violation> check(String script, String sql) {
        List<String> statements = statements(sql);
        Set<String> createdHere = new HashSet<>();
        for (String s : statements) {
            Matcher m = CREATE_TABLE.matcher(s);
            if (m.find()) {
                createdHere.add(m.group(1));
            }
        }
        List<Violation> out = new ArrayList<>();
        for (String s : statements) {
            Matcher index = CREATE_INDEX.matcher(s);
            if (index.find() && index.group(1) == null && !createdHere.contains(index.group(2))) {
                out.add(new Violation(script, Rule.CREATE_INDEX_WITHOUT_CONCURRENTLY, index.group(2), s));
            }
            Matcher alter = ALTER_TABLE.matcher(s);
            if (alter.find() && !createdHere.contains(alter.group(1))) {
                for (String action : splitTopLevel(alter.group(2))) {
                    rule(action).ifPresent(r -> out.add(new Violation(script, r, alter.group(1), s)));
                }
            }
        }
        return out;
    }

    private static java.util.Optional<Rule> rule(String action) {
        Matcher add = ADD_COLUMN.matcher(action);
        if (add.matches()) {
            String definition = add.group(1);
            boolean notNull = definition.matches(".*\\bnot\\s+null\\b.*") || definition.matches(".*\\bprimary\\s+key\\b.*");
            return notNull && !definition.matches(".*\\bdefault\\b.*")
                    ? java.util.Optional.of(Rule.ADD_COLUMN_NOT_NULL_WITHOUT_DEFAULT)
                    : java.util.Optional.empty();
        }
        if (ALTER_TYPE.matcher(action).matches()) {
            return java.util.Optional.of(Rule.ALTER_COLUMN_TYPE);
        }
        if (SET_NOT_NULL.matcher(action).matches()) {
            return java.util.Optional.of(Rule.ALTER_COLUMN_SET_NOT_NULL);
        }
        if (DROP_COLUMN.matcher(action).matches()) {
            return java.util.Optional.of(Rule.DROP_COLUMN);
        }
        return java.util.Optional.empty();
    }

    /** Comments, string literals and dollar-quoted bodies, matched in one pass so that none hides in another. */
    private static final Pattern NOISE = Pattern.compile(
            "(?s)\\$([a-zA-Z_]*)\\$.*?\\$\\1\\$|/\\*.*?\\*/|--[^\\n]*|'(?:[^']|'')*'");

    /** Statements in lower case with single spaces, without comments, literals and dollar-quoted bodies. */
    static List<String> statements(String sql) {
        Matcher m = NOISE.matcher(sql);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String hit = m.group();
            m.appendReplacement(b, hit.startsWith("'") ? "''" : hit.startsWith("$") ? "\\$\\$" : " ");
        }
        m.appendTail(b);
        List<String> out = new ArrayList<>();
        for (String statement : b.toString().toLowerCase(Locale.ROOT).split(";")) {
            String normal = statement.trim().replaceAll("\\s+", " ");
            if (!normal.isEmpty()) {
                out.add(normal);
            }
        }
        return out;
    }

    /** Splits ALTER TABLE actions at commas outside parentheses. */
    private static List<String> splitTopLevel(String actions) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < actions.length(); i++) {
            char c = actions.charAt(i);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (c == ',' && depth == 0) {
                out.add(actions.substring(start, i).trim());
                start = i + 1;
            }
        }
        out.add(actions.substring(start).trim());
        return out;
    }
}
