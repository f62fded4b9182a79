package dev.chatplatform.provider.auto;

import dev.chatplatform.kit.web.ApiException;
import dev.chatplatform.kit.web.ErrorCode;
import dev.chatplatform.provider.catalog.Model;
import dev.chatplatform.provider.catalog.ModelCatalog;
import dev.chatplatform.provider.catalog.PricedModel;
import org.springframework.stereotype.Service;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Picks the model for {@code model: "auto"}:
 * <ol>
 *   <li>candidates: every model a caller can use now (enabled, price in force, provider configured) that the
 *       caller's tier allows, that takes the request's input modalities (images, files...), whose max output
 *       holds the requested max_tokens and whose context window holds the prompt plus the requested max_tokens
 *       (or {@link #DEFAULT_OUTPUT_RESERVE} when not set);</li>
 *   <li>the request's signals ({@link RequestSignals}): candidates matching the most of them come first;</li>
 *   <li>then the cheapest for this request: the cost of the prompt plus the expected output (max_tokens, or
 *       {@link #DEFAULT_OUTPUT_RESERVE}) at the price in force; ties go to the smaller model id.</li>
 * </ol>
 * No candidate: 400 {@code no_model_available}.
 */
@Service
public class AutoModelSelector {

    /** The model name that asks for automatic selection. */
    public static final String AUTO = "auto";
    /** Output tokens assumed (and reserved in the context window) when the request sets no max_tokens. */
    static final int DEFAULT_OUTPUT_RESERVE = 1024;

    private final ModelCatalog catalog;
    private final AccountTiers tiers;

    AutoModelSelector(ModelCatalog catalog, AccountTiers tiers) {
        this.catalog = catalog;
        this.tiers = tiers;
    }

    public static boolean isAuto(String model) {
        return AUTO.equals(model);
    }

    public AutoSelection choose(AutoRequest request, String accountId, Instant now) {
        String tier = tiers.tierOf(accountId);
        int output = request.requestedMaxTokens() == null ? DEFAULT_OUTPUT_RESERVE : request.requestedMaxTokens();
        List<PricedModel> candidates = catalog.available(now).stream()
                .filter(m -> m.allows(tier))
                .filter(m -> m.inputModalities().containsAll(request.inputModalities()))
                .filter(m -> request.requestedMaxTokens() == null || request.requestedMaxTokens() <= m.maxOutputTokens())
                .filter(m -> (long) request.promptTokens() + output <= m.contextWindow())
                .map(m -> catalog.priced(m.id(), now))
                .toList();
        if (candidates.isEmpty()) {
            throw new ApiException(ErrorCode.NO_MODEL_AVAILABLE, "No model available to tier '" + tier + "' fits "
                    + request.promptTokens() + " prompt tokens plus " + output + " completion tokens"
                    + (request.inputModalities().size() > 1 ? " and takes " + String.join(", ", request.inputModalities())
                    + " input" : "") + ".", "model");
        }
        Set<String> wanted = RequestSignals.of(request);
        PricedModel best = candidates.stream().min(Comparator
                        .comparingInt((PricedModel p) -> -matches(p.model(), wanted))
                        .thenComparingLong(p -> p.price().costMicroUsd(request.promptTokens(), 0, output))
                        .thenComparing(p -> p.model().id()))
                .orElseThrow();
        return new AutoSelection(best.model().id(), reason(best.model(), wanted, candidates.size(), tier,
                request.promptTokens(), output));
    }

    private static int matches(Model model, Set<String> wanted) {
        return (int) wanted.stream().filter(model.capabilities()::contains).count();
    }

    private static String reason(Model chosen, Set<String> wanted, int candidates, String tier, int prompt, int output) {
        StringBuilder reason = new StringBuilder("cheapest of ").append(candidates)
                .append(candidates == 1 ? " model" : " models").append(" allowed for tier ").append(tier)
                .append(" that fit ").append(prompt).append('+').append(output).append(" tokens");
        if (!wanted.isEmpty()) {
            List<String> has = wanted.stream().filter(chosen.capabilities()::contains).toList();
            reason.append("; signals ").append(String.join(",", wanted)).append(has.isEmpty() ? ": no allowed model has them"
                    : has.size() == wanted.size() ? ": all matched" : ": matched " + String.join(",", has));
        }
        return reason.toString();
    }
}
