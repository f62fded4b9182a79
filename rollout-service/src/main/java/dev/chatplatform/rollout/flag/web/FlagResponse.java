package dev.chatplatform.rollout.flag.web;

import dev.chatplatform.contracts.rollout.FlagChanged;
import dev.chatplatform.flags.Overrides;
import dev.chatplatform.rollout.flag.FlagView;
import dev.chatplatform.rollout.flag.SloRules;

/**
 * A flag as stored and published, its SLO rules, and the environment overrides in force in this process.
 *
 * @param flag        the state published on flags.v1
 * @param rules       the SLO rules guarding it
 * @param envKilled   whether {@code ROLLOUT_KILL} names it here
 * @param envPercentage the {@code ROLLOUT_PERCENT_<FLAG>} override here, or null
 */
public record FlagResponse(FlagChanged flag, SloRules rules, boolean envKilled, Integer envPercentage) {

    static FlagResponse of(FlagView view, Overrides overrides) {
        String key = view.state().key();
        var percentage = overrides.percentage(key);
        return new FlagResponse(view.state(), view.rules(), overrides.isKilled(key),
                percentage.isPresent() ? percentage.getAsInt() : null);
    }
}
