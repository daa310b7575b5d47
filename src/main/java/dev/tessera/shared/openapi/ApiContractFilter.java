package dev.tessera.shared.openapi;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.AnnotationValue;
import org.jboss.jandex.DotName;
import org.jboss.jandex.IndexView;
import org.jboss.jandex.MethodInfo;

import dev.tessera.shared.error.ProblemType;
import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * Completes the OpenAPI document at build time, in one place rather than on every resource method: each
 * operation gets every problem response it can give (the ones its shape implies, {@link ImpliedProblems},
 * plus its {@link ApiContract}), as {@code application/problem+json} with the shared {@code Problem}
 * schema; {@code Location} on 201, {@code ETag} where declared, {@code Retry-After} on 429 and 503, the
 * RateLimit fields on every 2xx and 429 under {@code /api}; and one
 * declaration of each request header it reads. Tag descriptions live in {@code META-INF/openapi.yaml};
 * servers, licence and the security scheme in {@code application.properties}.
 *
 * <p>SmallRye builds it with the application's Jandex index, which is where the {@link ApiContract}
 * annotations are read from, by the {@code operationId} of the method's {@code @Operation}.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class ApiContractFilter implements OASFilter {

    private static final DotName OPERATION = DotName.createSimple("org.eclipse.microprofile.openapi.annotations.Operation");
    private static final DotName CONTRACT = DotName.createSimple(ApiContract.class.getName());

    /** What an {@link ApiContract} declares for one operation. */
    record Declared(Set<ProblemType> problems, boolean etag) {
        static final Declared NONE = new Declared(Set.of(), false);
    }

    private final Map<String, Declared> declared;

    public ApiContractFilter(IndexView index) {
        this.declared = read(index);
    }

    @Override
    public void filterOpenAPI(OpenAPI api) {
        if (api.getComponents() == null) {
            api.setComponents(OASFactory.createComponents());
        }
        Components components = api.getComponents();
        ApiComponents.addTo(components);
        Set<ProblemType> used = EnumSet.noneOf(ProblemType.class);
        if (api.getPaths() != null && api.getPaths().getPathItems() != null) {
            api.getPaths().getPathItems().forEach((path, item) -> item.getOperations().forEach((method, operation) -> {
                Declared d = declared.getOrDefault(operation.getOperationId(), Declared.NONE);
                Set<ProblemType> problems = ImpliedProblems.of(path, method, operation);
                problems.addAll(d.problems());
                ProblemResponses.replace(operation, problems);
                used.addAll(problems);
                addSuccessHeaders(operation, d.etag(), path.startsWith("/api/"));
                referenceRequestHeaders(operation);
            }));
        }
        used.forEach(type -> ApiComponents.addExample(components, type));
    }

    private static void addSuccessHeaders(Operation operation, boolean etag, boolean rateLimited) {
        operation.getResponses().getAPIResponses().forEach((code, response) -> {
            if (!code.startsWith("2")) {
                return;
            }
            if (code.equals("201")) {
                response.addHeader("Location", OASFactory.createHeader().ref("Location"));
            }
            if (etag) {
                response.addHeader("ETag", OASFactory.createHeader().ref("ETag"));
            }
            if (rateLimited) {
                response.addHeader("RateLimit", OASFactory.createHeader().ref("RateLimit"));
                response.addHeader("RateLimit-Policy", OASFactory.createHeader().ref("RateLimit-Policy"));
            }
        });
    }

    /**
     * {@code If-Match}, {@code Idempotency-Key} and {@code X-Correlation-Id} are described once, in components;
     * path parameters are public ids.
     */
    private static void referenceRequestHeaders(Operation operation) {
        if (operation.getParameters() == null) {
            return;
        }
        List<Parameter> parameters = new ArrayList<>();
        for (Parameter p : operation.getParameters()) {
            String shared = p.getIn() == Parameter.In.HEADER ? ApiComponents.REQUEST_HEADERS.get(p.getName()) : null;
            if (p.getIn() == Parameter.In.PATH && p.getSchema() != null && p.getSchema().getFormat() == null) {
                // Every path parameter is a public id; resources take it as text only to answer 400, not 404.
                p.getSchema().format("uuid");
                p.description("A public id (UUIDv7); anything else is 400 invalid-parameter");
            }
            parameters.add(shared == null ? p : OASFactory.createParameter().ref(shared));
        }
        operation.setParameters(parameters);
    }

    private static Map<String, Declared> read(IndexView index) {
        Map<String, Declared> byOperation = new HashMap<>();
        for (AnnotationInstance operation : index.getAnnotations(OPERATION)) {
            AnnotationValue id = operation.value("operationId");
            if (operation.target().kind() != AnnotationTarget.Kind.METHOD || id == null) {
                continue;
            }
            MethodInfo method = operation.target().asMethod();
            Set<ProblemType> problems = EnumSet.noneOf(ProblemType.class);
            boolean etag = false;
            for (AnnotationInstance contract : Stream.of(method.declaredAnnotation(CONTRACT),
                    method.declaringClass().declaredAnnotation(CONTRACT)).filter(a -> a != null).toList()) {
                AnnotationValue types = contract.value("problems");
                if (types != null) {
                    Stream.of(types.asEnumArray()).map(ProblemType::valueOf).forEach(problems::add);
                }
                AnnotationValue e = contract.value("etag");
                etag |= e != null && e.asBoolean();
            }
            byOperation.put(id.asString(), new Declared(problems, etag));
        }
        return byOperation;
    }
}
