package dev.tessera.shared.openapi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.tessera.shared.error.ProblemType;

/**
 * What an operation answers beyond what its shape already implies, for the OpenAPI document: the problem
 * types only it can give, and whether its success carries an {@code ETag}. On a class it applies to every
 * operation of the class. {@link ApiContractFilter} adds the problems every operation of a given shape can
 * give (a token, a tenant, a body, a path id, {@code If-Match}, {@code Idempotency-Key}); see
 * {@link ImpliedProblems}. The operation is found by the {@code operationId} of its {@code @Operation}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.METHOD, ElementType.TYPE })
public @interface ApiContract {

    /** Problem types this operation can answer with, beyond the implied ones. */
    ProblemType[] problems() default {};

    /** True if the success response carries {@code ETag} (the resource's version, for {@code If-Match}). */
    boolean etag() default false;
}
