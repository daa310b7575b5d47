package dev.tessera.shared.http;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.tessera.shared.error.InvalidInput;

/**
 * Refuses a query parameter the endpoint does not declare (400 invalid-parameter naming it), before the
 * endpoint runs. Ignoring it would let a misspelt filter ({@code ?stauts=PAID}) return every row, and let
 * a client believe a parameter such as {@code ?tenant_id=} was honoured.
 */
public class KnownQueryParameters {

    private final Map<Method, Set<String>> declared = new ConcurrentHashMap<>();

    @ServerRequestFilter
    public void rejectUnknown(ResourceInfo resource, UriInfo uri) {
        Method method = resource.getResourceMethod();
        Set<String> names;
        try {
            names = new TreeSet<>(uri.getQueryParameters().keySet());
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("query", "is not properly percent-encoded");
        }
        if (method == null || names.isEmpty()) {
            return;
        }
        Set<String> known = declared.computeIfAbsent(method, KnownQueryParameters::queryParametersOf);
        for (String name : names) {
            if (!known.contains(name)) {
                // The name is the client's text: echo a bounded piece of it, not all of it.
                throw new InvalidInput(name.length() > 64 ? name.substring(0, 64) : name, known.isEmpty() ? "this endpoint takes no query parameters"
                        : "is not a parameter of this endpoint (it takes " + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
    }

    private static Set<String> queryParametersOf(Method method) {
        return java.util.Arrays.stream(method.getParameters())
                .map(p -> p.getAnnotation(QueryParam.class))
                .filter(java.util.Objects::nonNull)
                .map(QueryParam::value)
                .collect(Collectors.toUnmodifiableSet());
    }
}
