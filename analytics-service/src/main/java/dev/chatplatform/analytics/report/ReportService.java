package dev.chatplatform.analytics.report;

import dev.chatplatform.analytics.rollup.LatencyBuckets;
import org.springframework.stereotype.Service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Currency;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/** Every aggregate the API, the CSV export and the dashboard show. */
@Service
public class ReportService {

    public static final List<String> REPORTS = List.of("usage", "latency", "errors", "active-accounts", "revenue",
            "tiers", "conversions", "events", "variants", "rollout-decisions", "mrr", "churn", "subscriptions",
            "conversations");

    private static final Set<Dimension> CALL_DIMENSIONS = EnumSet.of(Dimension.ACCOUNT, Dimension.MODEL,
            Dimension.PROVIDER);
    /** The dimensions each report can be grouped and filtered by (none for the others). */
    private static final Map<String, Set<Dimension>> DIMENSIONS = Map.of(
            "usage", EnumSet.allOf(Dimension.class), "latency", CALL_DIMENSIONS, "errors", CALL_DIMENSIONS,
            "conversations", EnumSet.of(Dimension.ACCOUNT, Dimension.MODEL));

    private final ReportRepository repository;

    ReportService(ReportRepository repository) {
        this.repository = repository;
    }

    /** What {@code report} can be grouped and filtered by. */
    public static Set<Dimension> dimensions(String report) {
        return DIMENSIONS.getOrDefault(report, Set.of());
    }

    public ReportResponse report(String name, ReportQuery q) {
        return switch (name) {
            case "usage" -> response(name, q, columns(q, "requests", "inputTokens", "cachedInputTokens",
                    "outputTokens", "totalTokens", "costMicroUsd", "costUsd", "errors", "errorRate"), usage(q));
            case "latency" -> response(name, q, columns(q, "requests", "latencyP50Ms", "latencyP95Ms", "latencyP99Ms",
                    "ttftRequests", "ttftP50Ms", "ttftP95Ms", "ttftP99Ms"), latency(q));
            case "errors" -> response(name, q, columns(q, "errorClass", "errors", "failedRequests", "attempts", "rate"),
                    errors(q));
            case "active-accounts" -> response(name, q, List.of("period", "activeAccounts"),
                    repository.activeAccounts(q));
            case "revenue" -> response(name, q, List.of("period", "currency", "invoicedMinor", "invoiced",
                    "paidInvoices", "usageChargesMicroUsd", "usageChargesUsd", "chargedAccounts"), revenue(q));
            case "tiers" -> response(name, q, List.of("tier", "activeAccounts", "accounts"), repository.tiers());
            case "conversions" -> response(name, q, List.of("period", "fromTier", "toTier", "conversions"),
                    repository.conversions(q));
            case "events" -> response(name, q, List.of("period", "topic", "eventType", "events"),
                    repository.events(q));
            case "variants" -> response(name, q, List.of("period", "flag", "variant", "observations", "errors",
                    "errorRate", "latencyP50Ms", "latencyP95Ms", "latencyP99Ms", "ttftP50Ms", "ttftP95Ms", "ttftP99Ms",
                    "costMicroUsd", "costUsd", "costPerRequestMicroUsd", "inputTokens", "cachedInputTokens",
                    "outputTokens"), variants(q));
            case "rollout-decisions" -> response(name, q, List.of("period", "decidedAt", "flag", "decision",
                    "flagVersion", "phase", "percentage", "reason", "breaches"), repository.rolloutDecisions(q));
            case "mrr" -> response(name, q, List.of("period", "currency", "mrrMinor", "mrr", "payingAccounts",
                    "unpricedAccounts"), mrr(q));
            case "churn" -> response(name, q, List.of("period", "currency", "payingAtStart", "churned", "churnRate",
                    "churnedMrrMinor", "churnedMrr"), churn(q));
            case "subscriptions" -> response(name, q, List.of("period", "tier", "status", "accounts"),
                    repository.subscriptions(q));
            case "conversations" -> response(name, q, columns(q, "conversationsCreated", "conversationsUpdated",
                    "conversationsDeleted", "messages", "userMessages", "answers", "answersCompleted", "answersStopped",
                    "answersFailed", "userMessageTokens", "answerOutputTokens"), repository.conversations(q));
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
        rows.forEach(row -> row.put("rate", ratio((Long) row.get("errors"), (Long) row.get("attempts"))));
        return rows;
    }

    private List<Map<String, Object>> revenue(ReportQuery q) {
        List<Map<String, Object>> rows = repository.revenue(q);
        rows.forEach(row -> {
            row.put("invoiced", decimal((Long) row.get("invoicedMinor"), (String) row.get("currency")));
            row.put("usageChargesUsd", usd((Long) row.get("usageChargesMicroUsd")));
        });
        return rows;
    }

    private List<Map<String, Object>> mrr(ReportQuery q) {
        List<Map<String, Object>> rows = repository.mrr(q);
        rows.forEach(row -> row.put("mrr", decimal((Long) row.get("mrrMinor"), (String) row.get("currency"))));
        return rows;
    }

    private List<Map<String, Object>> churn(ReportQuery q) {
        List<Map<String, Object>> rows = repository.churn(q);
        rows.forEach(row -> {
            row.put("churnRate", ratio((Long) row.get("churned"), (Long) row.get("payingAtStart")));
            row.put("churnedMrr", decimal((Long) row.get("churnedMrrMinor"), (String) row.get("currency")));
        });
        return rows;
    }

    /** Percentiles per period and group, from the summed histogram buckets. */
    private List<Map<String, Object>> latency(ReportQuery q) {
        List<String> keys = new ArrayList<>();
        keys.add("period");
        q.groupBy().forEach(d -> keys.add(d.field));
        List<Map<String, Object>> out = new ArrayList<>();
        histograms(repository.latencyBuckets(q), keys).forEach((key, metrics) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                row.put(keys.get(i), key.get(i));
            }
            NavigableMap<Integer, Long> latency = metrics.getOrDefault("latency", new TreeMap<>());
            NavigableMap<Integer, Long> ttft = metrics.getOrDefault("ttft", new TreeMap<>());
            row.put("requests", count(latency));
            percentiles(row, "latency", latency);
            row.put("ttftRequests", count(ttft));
            percentiles(row, "ttft", ttft);
            out.add(row);
        });
        return out;
    }

    /** Variant figures with their percentiles, from the summed histogram buckets of the same periods. */
    private List<Map<String, Object>> variants(ReportQuery q) {
        List<String> keys = List.of("period", "flag", "variant");
        Map<List<Object>, Map<String, NavigableMap<Integer, Long>>> histograms =
                histograms(repository.variantLatencyBuckets(q), keys);
        List<Map<String, Object>> rows = repository.variants(q);
        for (Map<String, Object> row : rows) {
            long observations = (Long) row.get("observations");
            long cost = (Long) row.get("costMicroUsd");
            Map<String, NavigableMap<Integer, Long>> metrics =
                    histograms.getOrDefault(keys.stream().map(row::get).toList(), Map.of());
            row.put("errorRate", ratio((Long) row.get("errors"), observations));
            percentiles(row, "latency", metrics.getOrDefault("latency", new TreeMap<>()));
            percentiles(row, "ttft", metrics.getOrDefault("ttft", new TreeMap<>()));
            row.put("costUsd", usd(cost));
            row.put("costPerRequestMicroUsd", observations == 0 ? null
                    : BigDecimal.valueOf(cost).divide(BigDecimal.valueOf(observations), 2, RoundingMode.HALF_EVEN));
        }
        return rows;
    }

    /** Bucket rows (key columns, metric, bucket, requests) summed into one histogram per key and metric. */
    private static Map<List<Object>, Map<String, NavigableMap<Integer, Long>>> histograms(
            List<Map<String, Object>> bucketRows, List<String> keys) {
        Map<List<Object>, Map<String, NavigableMap<Integer, Long>>> out = new LinkedHashMap<>();
        for (Map<String, Object> row : bucketRows) {
            out.computeIfAbsent(keys.stream().map(row::get).toList(), k -> new LinkedHashMap<>())
                    .computeIfAbsent((String) row.get("metric"), m -> new TreeMap<>())
                    .merge((Integer) row.get("bucket"), (Long) row.get("requests"), Long::sum);
        }
        return out;
    }

    private static void percentiles(Map<String, Object> row, String prefix, NavigableMap<Integer, Long> histogram) {
        row.put(prefix + "P50Ms", LatencyBuckets.percentile(histogram, 0.50));
        row.put(prefix + "P95Ms", LatencyBuckets.percentile(histogram, 0.95));
        row.put(prefix + "P99Ms", LatencyBuckets.percentile(histogram, 0.99));
    }

    private static long count(NavigableMap<Integer, Long> histogram) {
        return histogram.values().stream().mapToLong(Long::longValue).sum();
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

    /**
     * Integer minor units of {@code currency} as an exact decimal string with the currency's digits
     * ({@code 2000 usd} → {@code 20.00}, {@code 500 jpy} → {@code 500}); two digits for an unknown or missing code.
     */
    static String decimal(Long minor, String currency) {
        if (minor == null) {
            return null;
        }
        int digits = 2;
        if (currency != null) {
            try {
                digits = Math.max(0, Currency.getInstance(currency.toUpperCase(Locale.ROOT)).getDefaultFractionDigits());
            } catch (IllegalArgumentException unknown) {
                digits = 2;
            }
        }
        return BigDecimal.valueOf(minor).movePointLeft(digits).setScale(digits, RoundingMode.UNNECESSARY).toPlainString();
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
