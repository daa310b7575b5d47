package dev.tessera.orders.publication;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

/** What of a batch read in feed order the relay may publish, and in what order (plain JUnit). */
class FeedBatchTest {

    static final UUID O1 = UUID.randomUUID();
    static final UUID O2 = UUID.randomUUID();

    @Test
    void aBatchWhosePredecessorsAreAllPublishedOrInItIsKeptWhole() {
        List<FeedEvent> rows = List.of(e(O1, 1, 10, 1, true), e(O2, 4, 11, 2, true), e(O1, 2, 12, 3, false));

        FeedBatch b = FeedBatch.of(rows);

        assertThat(b.size()).isEqualTo(3);
        assertThat(b.cursorAfter()).isEqualTo(new FeedEvent.Cursor(12, 3));
    }

    @Test
    void theBatchIsCutBeforeAnEventWhosePredecessorIsNeitherPublishedNorInIt() {
        // O1 v3 committed under an older txid than O1 v2, which is not below the horizon yet.
        List<FeedEvent> rows = List.of(e(O2, 1, 10, 1, true), e(O1, 3, 11, 2, false), e(O2, 2, 12, 3, false));

        FeedBatch b = FeedBatch.of(rows);

        assertThat(b.inSendingOrder()).extracting(FeedEvent::orderId, FeedEvent::version).containsExactly(
                org.assertj.core.groups.Tuple.tuple(O2, 1));
        assertThat(b.cursorAfter()).isEqualTo(new FeedEvent.Cursor(10, 1));
    }

    @Test
    void aPredecessorLaterInTheBatchIsSentFirst() {
        List<FeedEvent> rows = List.of(e(O1, 3, 10, 5, false), e(O2, 1, 11, 6, true), e(O1, 2, 12, 4, true));

        FeedBatch b = FeedBatch.of(rows);

        assertThat(b.inSendingOrder()).extracting(FeedEvent::orderId, FeedEvent::version).containsExactly(
                org.assertj.core.groups.Tuple.tuple(O1, 2), org.assertj.core.groups.Tuple.tuple(O1, 3),
                org.assertj.core.groups.Tuple.tuple(O2, 1));
        assertThat(b.cursorAfter()).isEqualTo(new FeedEvent.Cursor(12, 4));
    }

    @Test
    void aCutThatRemovesAPredecessorCutsItsSuccessorToo() {
        // O2 v2 needs O2 v1, which is after the first cut: the cut moves up to O2 v2.
        List<FeedEvent> rows = List.of(e(O1, 1, 10, 1, true), e(O2, 2, 11, 2, false), e(O1, 3, 12, 3, false),
                e(O2, 1, 13, 4, true));

        FeedBatch b = FeedBatch.of(rows);

        assertThat(b.size()).isEqualTo(1);
        assertThat(b.cursorAfter()).isEqualTo(new FeedEvent.Cursor(10, 1));
    }

    @Test
    void aBatchThatStartsWithAnEventAwaitingItsPredecessorIsEmpty() {
        FeedBatch b = FeedBatch.of(List.of(e(O1, 2, 10, 1, false)));

        assertThat(b.isEmpty()).isTrue();
    }

    private static FeedEvent e(UUID order, int version, long txid, long position, boolean predecessorPublished) {
        return new FeedEvent(order, version, "ItemAdded", new JsonObject(), new JsonObject().put("schemaVersion", 1),
                OffsetDateTime.now(), txid, position, version == 1 || predecessorPublished);
    }
}
