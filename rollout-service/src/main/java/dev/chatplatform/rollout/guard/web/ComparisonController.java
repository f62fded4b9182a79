package dev.chatplatform.rollout.guard.web;

import dev.chatplatform.kit.identity.Scope;
import dev.chatplatform.kit.web.RequiresScope;
import dev.chatplatform.rollout.flag.FlagService;
import dev.chatplatform.rollout.flag.FlagView;
import dev.chatplatform.rollout.guard.GuardService;
import dev.chatplatform.rollout.guard.SloEvaluator;
import dev.chatplatform.rollout.guard.VariantStats;
import dev.chatplatform.rollout.guard.Verdict;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;

@RequiresScope(Scope.ANALYST)
@RestController
class ComparisonController {

    private final FlagService flags;
    private final GuardService guard;

    ComparisonController(FlagService flags, GuardService guard) {
        this.flags = flags;
        this.guard = guard;
    }

    @GetMapping("/api/v1/flags/{key}/comparison")
    ComparisonResponse compare(@PathVariable String key) {
        FlagView flag = flags.get(key);
        List<VariantStats> stats = guard.stats(flag);
        Verdict verdict = SloEvaluator.evaluate(flag.state(), flag.rules(), stats);
        Instant since = flag.state().changedAt();
        return new ComparisonResponse(key, flag.state().version(), since, flag.state().offVariant(), stats,
                verdict.status().name(), verdict.evidence());
    }
}
