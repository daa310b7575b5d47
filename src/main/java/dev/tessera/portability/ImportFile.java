package dev.tessera.portability;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.tessera.shared.error.BadRequest;
import dev.tessera.shared.error.ProblemType;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;

/**
 * The reading state of one import file: line numbers, the header and end lines, and the count of each
 * kind. Every refusal is a 400 invalid-import naming the line; details never quote a value of the line
 * (customers' lines hold PII).
 */
final class ImportFile {

    /** A line to restore ({@code json} null for a blank, header or end line, which the sections never see). */
    record Line(long number, String kind, JsonObject json) {
    }

    private final Set<String> kinds;
    private final Map<String, Long> seen = new LinkedHashMap<>();
    private final Map<String, Long> imported = new LinkedHashMap<>();
    private final Map<String, Long> skipped = new LinkedHashMap<>();
    private long number;
    private boolean headerRead;
    private boolean endRead;

    ImportFile(Set<String> kinds) {
        this.kinds = kinds;
    }

    Line next(String text) {
        number++;
        if (text.isBlank()) {
            return new Line(number, null, null);
        }
        JsonObject json;
        try {
            json = new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            throw bad(number, "is not a JSON object");
        }
        String kind = json.getValue("kind") instanceof String k ? k : null;
        if (endRead) {
            throw bad(number, "comes after the end line");
        }
        if (!headerRead) {
            header(json, kind);
            return new Line(number, kind, null);
        }
        if ("end".equals(kind)) {
            end(json);
            return new Line(number, kind, null);
        }
        if (kind == null || !kinds.contains(kind)) {
            throw bad(number, "has an unknown kind");
        }
        seen.merge(kind, 1L, Long::sum);
        return new Line(number, kind, json);
    }

    void counted(String kind, boolean restored) {
        (restored ? imported : skipped).merge(kind, 1L, Long::sum);
    }

    BadRequest refused(long line, String kind, Throwable e) {
        return bad(line, e instanceof PgException pg
                ? "was refused by the database (SQLSTATE " + pg.getSqlState() + ")"
                : "is not a valid " + kind + " line");
    }

    void requireEnd() {
        if (!headerRead) {
            throw bad(1, "is not an export header");
        }
        if (!endRead) {
            throw bad(number, "is the last line, but the file has no end line: it was cut off");
        }
    }

    Map<String, Long> imported() {
        return imported;
    }

    Map<String, Long> skipped() {
        return skipped;
    }

    private void header(JsonObject json, String kind) {
        if (!"header".equals(kind)) {
            throw bad(number, "is not an export header");
        }
        if (!Integer.valueOf(TenantExport.FORMAT_VERSION).equals(json.getValue("formatVersion"))) {
            throw bad(number, "has an unknown formatVersion (this service reads " + TenantExport.FORMAT_VERSION + ")");
        }
        headerRead = true;
    }

    private void end(JsonObject json) {
        JsonObject counts = json.getValue("counts") instanceof JsonObject c ? c : new JsonObject();
        for (String kind : kinds) {
            long declared = counts.getValue(kind) instanceof Number n ? n.longValue() : 0;
            if (declared != seen.getOrDefault(kind, 0L)) {
                throw bad(number, "counts " + declared + " " + kind + " line(s) but the file has "
                        + seen.getOrDefault(kind, 0L));
            }
        }
        endRead = true;
    }

    private static BadRequest bad(long line, String what) {
        return new BadRequest(ProblemType.INVALID_IMPORT, "Line " + line + " " + what);
    }
}
