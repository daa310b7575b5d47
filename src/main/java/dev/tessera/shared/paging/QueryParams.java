package dev.tessera.shared.paging;

import java.util.Set;

import dev.tessera.shared.error.InvalidInput;

/**
 * Parses query parameters by hand: JAX-RS turns a failed query parameter conversion into a 404,
 * and a client that sends {@code limit=abc} deserves a 400 that names the parameter.
 */
public final class QueryParams {

    private QueryParams() {
    }

    public static Integer integer(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            throw new InvalidInput(name, "must be an integer");
        }
    }

    /** Whether {@code include} asks for {@code option}; any other value is rejected rather than ignored. */
    public static boolean includes(String value, String option) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        if (!Set.copyOf(java.util.Arrays.asList(value.split(","))).equals(Set.of(option))) {
            throw new InvalidInput("include", "accepts only '" + option + "'");
        }
        return true;
    }

    public static String text(String name, String value, int maxLength) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > maxLength || value.indexOf('\0') >= 0) {
            throw new InvalidInput(name, "must be at most " + maxLength + " characters of text");
        }
        return value;
    }
}
