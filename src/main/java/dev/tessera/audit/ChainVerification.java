package dev.tessera.audit;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Result of verifying a tenant's audit trail: what was checked, the first break if any, and the tail
 * of committed rows that the sealer has not linked into the chain yet.
 */
@Schema(description = "Verification of the tenant's audit trail")
public record ChainVerification(
        @Schema(description = "Rows whose hash and place in the chain were checked (sealed rows and rows of the chain before sealing)")
        long checked,
        @Schema(description = "True when nothing checked was altered, removed, inserted or reordered")
        boolean intact,
        @Schema(description = "Id of the first row found altered or out of its chain, when a row can be named", nullable = true)
        Long firstBrokenId,
        @Schema(description = "Number of the first sealed batch found broken", nullable = true)
        Long firstBrokenBatch,
        @Schema(description = "What is wrong with the first break", nullable = true)
        String reason,
        @Schema(description = "Rows covered by a seal")
        long sealed,
        @Schema(description = "Sealed batches")
        long batches,
        @Schema(description = "Committed rows not sealed yet (normally those of the last second): not covered by the check")
        long unsealed,
        @Schema(description = "Age in milliseconds of the oldest unsealed row", nullable = true)
        Long oldestUnsealedAgeMs) {
}
