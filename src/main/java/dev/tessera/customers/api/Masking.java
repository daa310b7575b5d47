package dev.tessera.customers.api;

import dev.tessera.customers.domain.Pii;

/** How PII looks to callers without the right to see it: enough to recognise, not to use. */
final class Masking {

    private Masking() {
    }

    static Pii mask(Pii p) {
        return new Pii(email(p.email()), tail(p.phone(), 2), tail(p.taxId(), 4), p.address() == null ? null : "***");
    }

    /** {@code Jane Doe} becomes {@code J*** D***}: the initials, one per word. */
    static String name(String name) {
        if (name == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (String word : name.strip().split("\\s+")) {
            if (!word.isEmpty()) {
                sb.append(sb.isEmpty() ? "" : " ").appendCodePoint(word.codePointAt(0)).append("***");
            }
        }
        return sb.isEmpty() ? "***" : sb.toString();
    }

    /** {@code jane.doe@example.com} becomes {@code j***@example.com}. */
    static String email(String email) {
        if (email == null) {
            return null;
        }
        int at = email.lastIndexOf('@');
        return at <= 0 ? "***" : email.charAt(0) + "***" + email.substring(at);
    }

    /** Keeps the last {@code keep} characters, other letters and digits become '*': {@code ***-**-6789}. */
    static String tail(String value, int keep) {
        if (value == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(value.length());
        int visibleFrom = value.length() - keep;
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            sb.append(i >= visibleFrom || !Character.isLetterOrDigit(ch) ? ch : '*');
        }
        return sb.toString();
    }
}
