package dev.tessera.shared.id;

import java.util.UUID;
import java.util.regex.Pattern;

import dev.tessera.shared.error.InvalidInput;

/** Parses public ids taken from paths and query strings, turning a malformed one into a 400, not a 404 or 500. */
public final class PublicIds {

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private PublicIds() {
    }

    public static UUID parse(String parameter, String value) {
        if (value == null || !UUID_TEXT.matcher(value).matches()) {
            throw new InvalidInput(parameter, "must be a UUID");
        }
        return UUID.fromString(value);
    }
}
