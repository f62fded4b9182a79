package dev.chatplatform.chat.budget;

import dev.chatplatform.chat.context.ModelFacts;
import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.web.ApiException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Places and releases the budget hold of one model call (see the package description), or, with budget leases on,
 * draws its worst case from the account's lease ({@link LeaseBook}) and places a hold only when that does not cover it. A hold is settled
 * by the call's {@code usage.recorded.v1} (usage-service matches it on account and request id), so the
 * caller releases it only when the call consumed nothing. A call that consumed tokens but could not write its
 * usage event leaves its hold to expire: usage-service then bills the request from provider-service's record of
 * the call ({@code llm-calls.v1}), so releasing it would lose that usage.
 */
@Component
public class BudgetGuard {

    private static final Logger log = LoggerFactory.getLogger(BudgetGuard.class);
    /** usage-service takes counts up to 10^12; a larger max_tokens is no different from that in practice. */
    private static final long MAX_TOKENS_SENT = 1_000_000_000_000L;

    private final UsageClient usage;
    private final BudgetProperties properties;
    private final JsonMapper json;
    private final MeterRegistry meters;
    private final Timer holdTimer;
    private final KnownTiers tiers;

    private final LeaseBook leases;

    BudgetGuard(UsageClient usage, LeaseBook leases, BudgetProperties properties, JsonMapper json,
                MeterRegistry meters) {
        this.usage = usage;
        this.leases = leases;
        this.properties = properties;
        this.json = json;
        this.meters = meters;
        this.holdTimer = Timer.builder("chat.budget.hold")
                .description("Time to place a budget hold with usage-service, answered or not")
                .publishPercentileHistogram().register(meters); // quantiles are computed from it where scraped
        this.tiers = leases.tiers();
    }

    /**
     * The answer's worst case: the request's max tokens, else the model's maximum output as provider-service
     * reports it, else the configured default.
     */
    public long worstCaseOutput(Long requestedMaxTokens, Integer reportedMaxOutput) {
        if (requestedMaxTokens != null) {
            return Math.min(requestedMaxTokens, MAX_TOKENS_SENT);
        }
        return reportedMaxOutput != null ? reportedMaxOutput : properties.defaultMaxOutputTokens();
    }

    /**
     * Places the hold, before anything is sent upstream, at the model's price as provider-service reports it
     * ({@code reportedPrice}), else at {@code chat.budget.default-price}.
     *
     * @throws ApiException 429 (usage-service's refusal, unchanged: code names the limit), 403 (usage-service
     *                      refused the identity's scope), or 503 {@code budget_service_unavailable} when
     *                      usage-service cannot be reached and the account's tier fails closed
     */
    public Hold hold(CallerIdentity caller, String model, ModelFacts.Price reportedPrice, long promptTokens,
                     long maxTokens, boolean streamed, String requestId) {
        String accountId = caller.accountId();
        maxTokens = Math.min(maxTokens, MAX_TOKENS_SENT); // n choices of a huge max_tokens stay in usage-service's range
        ModelFacts.Price price = reportedPrice != null ? reportedPrice : properties.defaultPrice().asPrice();
        Hold drawn = leases.draw(caller, model, price, promptTokens, maxTokens, requestId);
        if (drawn != null) {
            count("leased");
            return drawn;
        }
        ObjectNode body = json.createObjectNode()
                .put("requestId", requestId)
                .put("model", model)
                .put("promptTokens", promptTokens)
                .put("maxTokens", maxTokens)
                .put("streamed", streamed)
                .put("inputPriceMicroUsdPerMillion", price.inputMicroUsdPerMillion())
                .put("outputPriceMicroUsdPerMillion", price.outputMicroUsdPerMillion());
        HttpResponse<byte[]> response;
        long started = System.nanoTime();
        try {
            response = usage.place(json.writeValueAsBytes(body), caller, requestId);
        } catch (UsageServiceUnavailableException e) {
            return unavailable(accountId, requestId, e.getMessage());
        } finally {
            holdTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
        int status = response.statusCode();
        String text = new String(response.body(), StandardCharsets.UTF_8);
        if (status == 200 || status == 201) {
            JsonNode hold = read(text);
            if (hold.path("holdId").isString() && hold.path("grantedMaxTokens").isIntegralNumber()) {
                count("placed");
                tiers.remember(accountId, hold.path("tier").asString(null));
                return new Hold(hold.path("holdId").stringValue(), hold.path("grantedMaxTokens").asLong(), maxTokens);
            }
            return unavailable(accountId, requestId,
                    "usage-service answered " + status + " without a hold: " + abbreviate(text));
        }
        if (status == 429 || status == 403) {
            count("refused");
            JsonNode error = read(text).path("error");
            throw new ApiException(HttpStatus.valueOf(status),
                    error.path("type").asString(status == 429 ? "insufficient_quota" : "permission_error"),
                    error.path("code").asString(status == 429 ? "quota_exceeded" : "insufficient_scope"),
                    error.path("message").asString("The request does not fit in the account's limits."),
                    error.path("param").isString() ? error.path("param").stringValue() : null);
        }
        // 5xx, and also 400/401/404: a misconfiguration or a bug here, never the caller's doing
        return unavailable(accountId, requestId, "usage-service answered HTTP " + status + ": " + abbreviate(text));
    }

    /**
     * Releases the hold of a call that consumed nothing, at once (with a token minted now, however long the call
     * took); a failure is only logged (the hold expires, with nothing to bill).
     */
    public void release(Hold hold, CallerIdentity caller, String requestId) {
        if (hold == null || !hold.placed()) {
            return;
        }
        if (hold.draw() != null) {
            leases.release(hold.draw());
            return;
        }
        try {
            HttpResponse<byte[]> response = usage.release(hold.holdId(), caller, requestId);
            if (response.statusCode() != 204 && response.statusCode() != 200) {
                log.warn("usage-service answered HTTP {} releasing hold {}; it will expire", response.statusCode(), hold.holdId());
            } else {
                count("released");
            }
        } catch (UsageServiceUnavailableException e) {
            log.warn("could not release hold {}; it will expire: {}", hold.holdId(), e.getMessage());
        }
    }

    private Hold unavailable(String accountId, String requestId, String why) {
        String tier = tiers.of(accountId);
        if (properties.failsOpen(tier)) {
            count("failed_open");
            log.warn("usage-service unavailable, serving request {} of a {} account without a budget hold"
                    + " (chat.budget.fail-open-tiers): {}", requestId, tier == null ? "tier-unknown" : tier, why);
            return Hold.NONE;
        }
        count("unavailable");
        log.warn("usage-service unavailable, refusing request {} of a {} account: {}", requestId,
                tier == null ? "tier-unknown" : tier, why);
        throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "server_error", "budget_service_unavailable",
                "The budget service is unavailable, so the request cannot be checked against the account's limits; "
                        + "try again shortly.", null);
    }

    private void count(String outcome) {
        meters.counter("chat.budget.holds", "outcome", outcome).increment();
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (JacksonException e) {
            return MissingNode.getInstance();
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) : text;
    }
}
