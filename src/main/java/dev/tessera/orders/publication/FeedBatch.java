package dev.tessera.orders.publication;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Chooses what of a batch read in feed order may be published now, and in what order.
 *
 * <p>Feed order, (txid, position) with txid below the snapshot's xmin, never skips an event, but it is
 * not always version order within an order: a command's txid is assigned at its first write, and a
 * command that claims its Idempotency-Key (a write) before it reads the order can take a txid below
 * that of the command whose version it then reads and follows. So a batch is cut before the first
 * event whose predecessor is neither published nor in the batch before the cut (it will be, once its
 * transaction is below xmin), and what remains is sent order by order, versions ascending.
 * The cursor moves to the last event of the kept prefix, so nothing after the cut is skipped.
 */
public final class FeedBatch {

    private final List<FeedEvent> kept;

    private FeedBatch(List<FeedEvent> kept) {
        this.kept = kept;
    }

    /** The publishable prefix of {@code rows}, which must be in feed order. */
    public static FeedBatch of(List<FeedEvent> rows) {
        int cut = rows.size();
        boolean again = true;
        while (again) {
            again = false;
            Set<String> inBatch = new HashSet<>();
            for (int i = 0; i < cut; i++) {
                inBatch.add(key(rows.get(i).orderId(), rows.get(i).version()));
            }
            for (int i = 0; i < cut; i++) {
                FeedEvent e = rows.get(i);
                if (!e.predecessorPublished() && !inBatch.contains(key(e.orderId(), e.version() - 1))) {
                    cut = i;
                    again = true;
                    break;
                }
            }
        }
        return new FeedBatch(List.copyOf(rows.subList(0, cut)));
    }

    public boolean isEmpty() {
        return kept.isEmpty();
    }

    public int size() {
        return kept.size();
    }

    /** Where the cursor goes once the broker confirmed every event of the batch. */
    public FeedEvent.Cursor cursorAfter() {
        return kept.get(kept.size() - 1).cursor();
    }

    /** The events to send, order by order in the order each first appears in the feed, versions ascending. */
    public List<FeedEvent> inSendingOrder() {
        Map<UUID, List<FeedEvent>> byOrder = new LinkedHashMap<>();
        kept.forEach(e -> byOrder.computeIfAbsent(e.orderId(), k -> new ArrayList<>()).add(e));
        List<FeedEvent> out = new ArrayList<>(kept.size());
        byOrder.values().forEach(events -> {
            events.sort(Comparator.comparingInt(FeedEvent::version));
            out.addAll(events);
        });
        return out;
    }

    private static String key(UUID order, int version) {
        return order + "/" + version;
    }
}
