package dev.chatplatform.analytics.report.web;

import dev.chatplatform.analytics.report.Dimension;
import dev.chatplatform.analytics.report.Granularity;
import dev.chatplatform.analytics.report.ReportQuery;
import dev.chatplatform.analytics.report.ReportResponse;
import dev.chatplatform.analytics.report.ReportService;
import dev.chatplatform.kit.identity.Scope;
import dev.chatplatform.kit.web.ApiException;
import dev.chatplatform.kit.web.DateParameter;
import dev.chatplatform.kit.web.OptionalText;
import dev.chatplatform.kit.web.RequiresScope;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code GET /api/v1/analytics/{report}}: every aggregate as JSON, or as CSV with {@code format=csv}. Only
 * callers with the analyst or admin scope; every other identity gets 403.
 */
@RequiresScope(Scope.ANALYST)
@RestController
@RequestMapping("/api/v1/analytics")
class ReportController {

    static final MediaType CSV = new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8);
    private static final long MAX_DAYS = 3660;

    private final ReportService reports;
    private final Clock clock = Clock.systemUTC();

    ReportController(ReportService reports) {
        this.reports = reports;
    }

    @GetMapping
    Map<String, Object> index() {
        return Map.of("reports", ReportService.REPORTS, "dashboard", "/api/v1/analytics/dashboard/");
    }

    /**
     * @param from      first UTC day (ISO date), default 29 days before {@code to}
     * @param to        last UTC day, included, default today (UTC)
     * @param groupBy   comma-separated: account, model, provider (usage, latency, errors; conversations: account, model),
     *                  kind (usage: chat or embeddings)
     * @param kind      exact filter of the usage report: chat or embeddings
     * @param accountId exact filter (where the report can be grouped by account)
     * @param flag      exact flag key (variants, rollout-decisions)
     */
    @GetMapping("/{report}")
    ResponseEntity<?> report(@PathVariable String report,
                             @RequestParam(required = false) String from,
                             @RequestParam(required = false) String to,
                             @RequestParam(required = false) String granularity,
                             @RequestParam(required = false) String groupBy,
                             @RequestParam(required = false) String accountId,
                             @RequestParam(required = false) String model,
                             @RequestParam(required = false) String provider,
                             @RequestParam(required = false) String kind,
                             @RequestParam(required = false) String topic,
                             @RequestParam(required = false) String type,
                             @RequestParam(required = false) String flag,
                             @RequestParam(required = false) String format) {
        if (!ReportService.REPORTS.contains(report)) {
            throw ApiException.notFound("not_found", "Unknown report '" + report + "'; known: "
                    + String.join(", ", ReportService.REPORTS) + ".");
        }
        LocalDate last = DateParameter.parse("to", to, LocalDate.now(clock));
        LocalDate first = DateParameter.parse("from", from, last.minusDays(29));
        if (first.isAfter(last)) {
            throw ApiException.invalid("invalid_period", "'from' (" + first + ") must not be after 'to' (" + last + ").",
                    "from");
        }
        if (ChronoUnit.DAYS.between(first, last) >= MAX_DAYS) {
            throw ApiException.invalid("invalid_period", "A report spans at most " + MAX_DAYS + " days.", "from");
        }
        Map<Dimension, String> filters = new EnumMap<>(Dimension.class);
        filter(filters, Dimension.ACCOUNT, accountId);
        filter(filters, Dimension.MODEL, model);
        filter(filters, Dimension.PROVIDER, provider);
        filter(filters, Dimension.KIND, kind == null ? null : kind.toLowerCase(Locale.ROOT));
        List<Dimension> groups = dimensions(groupBy);
        Set<Dimension> supported = ReportService.dimensions(report);
        if (!supported.containsAll(groups)) {
            throw ApiException.invalid("invalid_group_by", "The " + report + " report " + (supported.isEmpty()
                    ? "cannot be grouped." : "can be grouped by " + names(supported) + " only."), "groupBy");
        }
        for (Dimension d : filters.keySet()) {
            if (!supported.contains(d)) {
                throw ApiException.invalid("invalid_filter", "The " + report + " report cannot be filtered by '"
                        + d.field + "'" + (supported.isEmpty() ? "." : "; it takes " + supported.stream()
                        .map(x -> x.field).sorted().collect(Collectors.joining(", ")) + "."), d.field);
            }
        }
        ReportQuery query = new ReportQuery(first, last, granularity(granularity), groups, filters,
                OptionalText.of(topic), OptionalText.of(type), OptionalText.of(flag));
        ReportResponse response = reports.report(report, query);
        if (format == null || format.equalsIgnoreCase("json")) {
            return ResponseEntity.ok(response);
        }
        if (!format.equalsIgnoreCase("csv")) {
            throw ApiException.invalid("invalid_format", "'format' must be json or csv.", "format");
        }
        return ResponseEntity.ok()
                .contentType(CSV)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"analytics-" + report + "-"
                        + first + "-" + last + ".csv\"")
                .body(Csv.write(response));
    }

    private static Granularity granularity(String value) {
        if (value == null || value.isBlank()) {
            return Granularity.DAY;
        }
        try {
            return Granularity.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("invalid_granularity", "'granularity' must be day, month or range.",
                    "granularity");
        }
    }

    private static List<Dimension> dimensions(String value) {
        List<Dimension> out = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return out;
        }
        for (String part : value.split(",")) {
            Dimension d = Arrays.stream(Dimension.values())
                    .filter(x -> x.name().equalsIgnoreCase(part.strip()))
                    .findFirst()
                    .orElseThrow(() -> ApiException.invalid("invalid_group_by",
                            "'groupBy' takes account, model, provider and kind, comma-separated.", "groupBy"));
            if (!out.contains(d)) {
                out.add(d);
            }
        }
        return out;
    }

    private static String names(Set<Dimension> dimensions) {
        return dimensions.stream().map(d -> d.name().toLowerCase(Locale.ROOT)).sorted().collect(Collectors.joining(", "));
    }

    private static void filter(Map<Dimension, String> filters, Dimension d, String value) {
        if (value != null && !value.isBlank()) {
            filters.put(d, value.strip());
        }
    }
}
