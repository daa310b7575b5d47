package dev.tessera.shared.openapi;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import dev.tessera.shared.error.Problem;
import dev.tessera.shared.error.ProblemType;

/**
 * An operation's error responses, one per status, each {@code application/problem+json} with the shared
 * {@code Problem} schema and one example per problem type it may carry (named by the type's slug).
 */
final class ProblemResponses {

    private ProblemResponses() {
    }

    /** Replaces whatever 4xx, 5xx and default responses the scanner guessed by the given problems. */
    static void replace(Operation operation, Set<ProblemType> problems) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        APIResponses responses = operation.getResponses();
        List.copyOf(responses.getAPIResponses().keySet()).stream()
                .filter(code -> code.startsWith("4") || code.startsWith("5") || code.equals("default"))
                .forEach(responses::removeAPIResponse);
        Map<Integer, List<ProblemType>> byStatus = new TreeMap<>(EnumSet.copyOf(problems).stream()
                .collect(Collectors.groupingBy(ProblemType::status)));
        byStatus.forEach((status, types) -> responses.addAPIResponse(String.valueOf(status), response(status, types)));
    }

    private static APIResponse response(int status, List<ProblemType> types) {
        MediaType media = OASFactory.createMediaType().schema(OASFactory.createSchema().ref(ApiComponents.PROBLEM));
        types.forEach(t -> media.addExample(t.slug(), OASFactory.createExample().ref(t.slug())));
        APIResponse response = OASFactory.createAPIResponse()
                .description(types.stream().map(t -> "`" + t.slug() + "`: " + t.title()).collect(Collectors.joining("; ")))
                .content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, media));
        if (status == 401) {
            response.addHeader("WWW-Authenticate", OASFactory.createHeader().ref("WWW-Authenticate"));
        }
        if (status == 429 || status == 503) {
            response.addHeader("Retry-After", OASFactory.createHeader().ref("Retry-After"));
        }
        if (status == 429) {
            response.addHeader("RateLimit", OASFactory.createHeader().ref("RateLimit"));
            response.addHeader("RateLimit-Policy", OASFactory.createHeader().ref("RateLimit-Policy"));
        }
        return response;
    }
}
