package dev.chatplatform.testkit.fuzz;

import dev.chatplatform.testkit.TestIdentities;
import org.springframework.context.ApplicationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Sends the {@link FuzzCorpus} to every endpoint a service serves (found in its MVC handler mappings, so a new
 * endpoint is fuzzed without touching the test) over a raw socket, as a caller with every scope, and reports each
 * 5xx, each error that is not JSON, and each row stored before the run that is gone or changed after it.
 */
public final class EndpointFuzzer {

    /** Query parameter names tried on every endpoint besides the ones its handler declares. */
    private static final List<String> COMMON_QUERY = List.of("limit", "after", "from", "to", "q", "status");
    /** Body property names tried on every body besides the request record's own (for Map and JsonNode bodies). */
    private static final List<String> COMMON_FIELDS = List.of("name", "title", "content", "messages", "model", "key",
            "description", "reason", "tier", "scopes", "email", "stream", "max_tokens", "system_prompt");

    /** What one run did and found. */
    public record Report(int endpoints, int requests, int serverErrors, int nonJsonErrors, List<String> failures) {

        public String summary(String service) {
            return "fuzz " + service + ": " + requests + " requests to " + endpoints + " endpoints, " + serverErrors
                    + " 5xx, " + nonJsonErrors + " non-JSON errors, " + failures.size() + " failures";
        }
    }

    private final ApplicationContext context;
    private final int port;
    private final long maxBodyBytes;

    public EndpointFuzzer(ApplicationContext context, int port) {
        this.context = context;
        this.port = port;
        this.maxBodyBytes = context.getEnvironment().getProperty("platform.web.max-body-bytes", Long.class, 1_048_576L);
    }

    /**
     * The platform's endpoints of the service (its own and the kit's, such as the jobs admin API; not Spring's nor
     * the container's {@code /error}), one per method and pattern, in a stable order.
     */
    public List<FuzzCorpus.Endpoint> endpoints() {
        RequestMappingHandlerMapping mapping = context.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
        List<FuzzCorpus.Endpoint> out = new ArrayList<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> e : mapping.getHandlerMethods().entrySet()) {
            HandlerMethod handler = e.getValue();
            String type = handler.getBeanType().getName();
            if (!type.startsWith("dev.chatplatform.") || type.endsWith(".ServletErrorController")) {
                continue;
            }
            Set<String> query = new LinkedHashSet<>();
            Set<String> fields = new LinkedHashSet<>();
            boolean body = false;
            for (MethodParameter parameter : handler.getMethodParameters()) {
                parameter.initParameterNameDiscovery(new DefaultParameterNameDiscoverer());
                RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
                if (param != null && !Map.class.isAssignableFrom(parameter.getParameterType())) {
                    query.add(!param.name().isEmpty() ? param.name() : parameter.getParameterName());
                }
                if (parameter.hasParameterAnnotation(RequestBody.class)) {
                    body = true;
                    Class<?> bodyType = parameter.getParameterType();
                    if (bodyType.isRecord()) {
                        Arrays.stream(bodyType.getRecordComponents()).forEach(c -> fields.add(c.getName()));
                    }
                    fields.addAll(COMMON_FIELDS);
                }
            }
            query.addAll(COMMON_QUERY);
            Set<RequestMethod> methods = e.getKey().getMethodsCondition().getMethods();
            for (RequestMethod method : methods.isEmpty() ? Set.of(RequestMethod.GET, RequestMethod.POST) : methods) {
                for (String pattern : e.getKey().getPatternValues()) {
                    out.add(new FuzzCorpus.Endpoint(method.name(), pattern, query, fields,
                            body || method == RequestMethod.POST || method == RequestMethod.PUT || method == RequestMethod.PATCH));
                }
            }
        }
        out.sort(Comparator.comparing(FuzzCorpus.Endpoint::pattern).thenComparing(FuzzCorpus.Endpoint::method));
        return out;
    }

    /**
     * Fuzzes every endpoint; rows of the tables {@code ignoredTables} accepts (those the service itself rewrites
     * in the background, such as an outbox) are left out of the comparison.
     */
    public Report run(Predicate<String> ignoredTables) {
        Map<String, Map<String, Integer>> before = snapshot(ignoredTables);
        RawHttp http = new RawHttp("localhost", port, Duration.ofSeconds(60));
        String identity = dev.chatplatform.kit.identity.IdentityTokens.HEADER + ": "
                + TestIdentities.token("acct-fuzz", "admin", "account", "chat", "analyst");
        List<FuzzCorpus.Endpoint> endpoints = endpoints();
        List<String> failures = new ArrayList<>();
        int sent = 0;
        int serverErrors = 0;
        int nonJson = 0;
        for (FuzzCorpus.Endpoint endpoint : endpoints) {
            for (FuzzCorpus.Request request : FuzzCorpus.requests(endpoint, identity, maxBodyBytes)) {
                sent++;
                RawHttp.Response response;
                try {
                    response = http.send(request.method(), request.target().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                            request.headers(), request.body(), request.chunkSize());
                } catch (RuntimeException e) {
                    failures.add("no answer to " + request + ": " + e.getMessage());
                    continue;
                }
                if (response.status() >= 500) {
                    serverErrors++;
                    failures.add(response.status() + " for " + request + ": " + abbreviate(response.text()));
                } else if (response.status() >= 400 && !String.valueOf(response.header("content-type")).startsWith("application/json")) {
                    nonJson++;
                    failures.add("non-JSON " + response.status() + " (" + response.header("content-type") + ") for "
                            + request + ": " + abbreviate(response.text()));
                }
            }
        }
        Map<String, Map<String, Integer>> after = snapshot(ignoredTables);
        before.forEach((table, rows) -> rows.forEach((row, count) -> {
            if (after.getOrDefault(table, Map.of()).getOrDefault(row, 0) < count) {
                failures.add("row of " + table + " stored before the run is gone or changed: " + abbreviate(row));
            }
        }));
        return new Report(endpoints.size(), sent, serverErrors, nonJson, failures);
    }

    /** Every row of every table of the service's database, as text, counted (empty without a database). */
    private Map<String, Map<String, Integer>> snapshot(Predicate<String> ignoredTables) {
        Map<String, Map<String, Integer>> tables = new TreeMap<>();
        if (context.getBeanNamesForType(DataSource.class).length == 0) {
            return tables;
        }
        try (Connection c = context.getBean(DataSource.class).getConnection(); Statement s = c.createStatement()) {
            List<String> names = new ArrayList<>();
            try (ResultSet r = s.executeQuery("select table_name from information_schema.tables"
                    + " where table_schema = current_schema() and table_type = 'BASE TABLE'")) {
                while (r.next()) {
                    names.add(r.getString(1));
                }
            }
            for (String table : names) {
                if (ignoredTables.test(table)) {
                    continue;
                }
                Map<String, Integer> rows = new HashMap<>();
                try (ResultSet r = s.executeQuery("select * from \"" + table + "\"")) {
                    int columns = r.getMetaData().getColumnCount();
                    while (r.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= columns; i++) {
                            row.append(r.getMetaData().getColumnName(i)).append('=').append(r.getString(i)).append(' ');
                        }
                        rows.merge(row.toString(), 1, Integer::sum);
                    }
                }
                tables.put(table, rows);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the service's database", e);
        }
        return tables;
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
