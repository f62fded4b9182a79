package dev.chatplatform.rollout.flag;

import dev.chatplatform.contracts.rollout.FlagChanged;

import java.util.List;

/** What an admin sets on a flag (everything but its key, version and change metadata). Nulls take defaults. */
public record FlagDefinition(
        String description,
        FlagChanged.Kind kind,
        Boolean enabled,
        List<FlagChanged.Variant> variants,
        String offVariant,
        List<String> allowList,
        List<String> denyList,
        List<FlagChanged.Segment> segments,
        Integer rolloutPercentage,
        String groupId,
        SloRules rules) {
}
