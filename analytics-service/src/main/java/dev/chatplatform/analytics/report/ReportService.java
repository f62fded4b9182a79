package dev.chatplatform.analytics.report;

import dev.chatplatform.analytics.rollup.LatencyBuckets;
import org.springframework.stereotype.Service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/** Every aggregate the API, the CSV export and the dashboard show. */
@Service
public class ReportService {

    public static final List<String> REPORTS =
            List.of("usage", "latency", "errors", "active-accounts", "revenue", "tiers", "conversions", "events");

    private final ReportRepository repository;

    ReportService(ReportRepository repository) {
        this.repository = repository;
    }

    public ReportResponse report(String name, ReportQuery q) {
        return switch (name) {
            case "usage" -> response(name, q, columns(q, "requests", "inputTokens", "cachedInputTokens",
                    "outputTokens", "totalTokens", "costMicroUsd", "costUsd", "errors", "errorRate"), usage(q));
            case "latency" -> response(name, q, columns(q, "requests", "latencyP50Ms", "latencyP95Ms", "latencyP99Ms",
                    "ttftRequests", "ttftP50Ms", "ttftP95Ms", "ttftP99Ms"), latency(q));
            case "errors" -> response(name, q, columns(q, "errorClass", "requests", "totalRequests", "rate"), errors(q));
            case "active-accounts" -> response(name, q, List.of("period", "activeAccounts"),
                    repository.activeAccounts(q));
            case "revenue" -> response(name, q, List.of("period", "usageChargesMicroUsd", "usageChargesUsd",
                    "chargedAccounts"), revenue(q));
            case "tiers" -> response(name, q, List.of("tier", "activeAccounts", "accounts"), repository.tiers());
            case "conversions" -> response(name, q, List.of("period", "fromTier", "toTier", "conversions"),
                    repository.conversions(q));
            case "events" -> response(name, q, List.of("period", "topic", "eventType", "events"),
                    repository.events(q));
            default -> throw new IllegalArgumentException("unknown report " + name);
        };
    }

    private List<Map<String, Object>> usage(ReportQuery q) {
        List<Map<String, Object>> rows = repository.usage(q);
        for (Map<String, Object> row : rows) {
            row.put("costUsd", usd((Long) row.get("costMicroUsd")));
            row.put("errorRate", ratio((Long) row.get("errors"), (Long) row.get("requests")));
        }
        return rows;
    }

    private List<Map<String, Object>> errors(ReportQuery q) {
        List<Map<String, Object>> rows = repository.errors(q);
        rows.forEach(row -> row.put("rate", ratio((Long) row.get("requests"), (Long) row.get("totalRequests"))));
        return rows;
    }

    private List<Map<String, Object>> revenue(ReportQuery q) {
        List<Map<String, Object>> rows = repository.revenue(q);
        rows.forEach(row -> row.put("usageChargesUsd", usd((Long) row.get("usageChargesMicroUsd"))));
        return rows;
    }

    /** Percentiles per period and group, from the summed histogram buckets. */
    private List<Map<String, Object>> latency(ReportQuery q) {
        Map<List<Object>, Map<String, NavigableMap<Integer, Long>>> groups = new LinkedHashMap<>();
        for (Map<String, Object> row : repository.latencyBuckets(q)) {
            List<Object> key = new ArrayList<>();
            key.add(row.get("period"));
            q.groupBy().forEach(d -> key.add(row.get(d.field)));
            groups.computeIfAbsent(key, k -> new LinkedHashMap<>())
                    .computeIfAbsent((String) row.get("metric"), m -> new TreeMap<>())
                    .merge((Integer) row.get("bucket"), (Long) row.get("requests"), Long::sum);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        groups.forEach((key, metrics) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("period", key.get(0));
            for (int i = 0; i < q.groupBy().size(); i++) {
                row.put(q.groupBy().get(i).field, key.get(i + 1));
            }
            NavigableMap<Integer, Long> latency = metrics.getOrDefault("latency", new TreeMap<>());
            NavigableMap<Integer, Long> ttft = metrics.getOrDefault("ttft", new TreeMap<>());
            row.put("requests", latency.values().stream().mapToLong(Long::longValue).sum());
            row.put("latencyP50Ms", LatencyBuckets.percentile(latency, 0.50));
            row.put("latencyP95Ms", LatencyBuckets.percentile(latency, 0.95));
            row.put("latencyP99Ms", LatencyBuckets.percentile(latency, 0.99));
            row.put("ttftRequests", ttft.values().stream().mapToLong(Long::longValue).sum());
            row.put("ttftP50Ms", LatencyBuckets.percentile(ttft, 0.50));
            row.put("ttftP95Ms", LatencyBuckets.percentile(ttft, 0.95));
            row.put("ttftP99Ms", LatencyBuckets.percentile(ttft, 0.99));
            out.add(row);
        });
        return out;
    }

    private static List<String> columns(ReportQuery q, String... measures) {
        List<String> columns = new ArrayList<>();
        columns.add("period");
        q.groupBy().forEach(d -> columns.add(d.field));
        columns.addAll(List.of(measures));
        return columns;
    }

    private static ReportResponse response(String name, ReportQuery q, List<String> columns,
                                           List<Map<String, Object>> rows) {
        List<Map<String, Object>> ordered = rows.stream().map(row -> {
            Map<String, Object> copy = new LinkedHashMap<>();
            columns.forEach(c -> copy.put(c, row.get(c)));
            return copy;
        }).toList();
        return new ReportResponse(name, q.from(), q.to(), q.granularity().name().toLowerCase(Locale.ROOT), columns,
                ordered);
    }

    /** Integer micro-USD as an exact decimal string with six decimals. */
    static String usd(Long microUsd) {
        return BigDecimal.valueOf(microUsd == null ? 0 : microUsd).movePointLeft(6).toPlainString();
    }

    /** A share between 0 and 1, rounded to four decimals (0 when there is nothing to divide). */
    static double ratio(Long part, Long whole) {
        if (whole == null || whole == 0) {
            return 0;
        }
        return BigDecimal.valueOf(part == null ? 0 : part).divide(BigDecimal.valueOf(whole), 4, RoundingMode.HALF_EVEN)
                .doubleValue();
    }
}
