package dev.tessera.retention;

import java.time.Duration;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the retention purge of soft-deleted rows. */
@ConfigMapping(prefix = "tessera.retention")
public interface RetentionConfig {

    /** When the purge runs (Quarkus cron, seconds first). Default: daily at 03:30. */
    @WithDefault("0 30 3 * * ?")
    String cron();

    /** Days a soft-deleted row is kept when its tenant's plan has no entry in days-by-plan. Default: 90. */
    @WithDefault("90")
    int defaultDays();

    /** Days kept per plan (free, standard, enterprise). */
    Map<String, Integer> daysByPlan();

    /** Rows removed per batch; each batch is its own short transaction. Default: 500. */
    @WithDefault("500")
    int batchSize();

    /** Pause between batches, so that the purge never holds locks for long. Default: 200ms. */
    @WithDefault("200ms")
    Duration pause();
}
