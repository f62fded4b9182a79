package dev.chatplatform.rollout.flag;

import dev.chatplatform.contracts.rollout.FlagChanged;

/** A stored flag: its published state and the SLO rules guarding it. */
public record FlagView(FlagChanged state, SloRules rules) {
}
