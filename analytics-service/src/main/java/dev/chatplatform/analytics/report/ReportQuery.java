package dev.chatplatform.analytics.report;

import java.time.LocalDate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A validated report request.
 *
 * @param from        first UTC day, included
 * @param to          last UTC day, included
 * @param granularity day, month or whole-range rows
 * @param groupBy     dimensions that split the rows, in order
 * @param filters     exact-match filters by dimension
 * @param topic       for the event-count report: only this topic, or null
 * @param eventType   for the event-count report: only this type, or null
 * @param flag        for the variant and rollout-decision reports: only this flag key, or null
 */
public record ReportQuery(LocalDate from, LocalDate to, Granularity granularity, List<Dimension> groupBy,
                          Map<Dimension, String> filters, String topic, String eventType, String flag) {

    public ReportQuery {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(granularity, "granularity");
        groupBy = List.copyOf(groupBy);
        filters = filters.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(filters));
    }
}
