package dev.tessera.audit;

/** Result of walking a tenant's audit chain: how many rows were checked and the first broken one, if any. */
public record ChainVerification(long checked, boolean intact, Long firstBrokenId, String reason) {
}
