package dev.chatplatform.rollout.flag.web;

import dev.chatplatform.contracts.rollout.FlagChanged;
import dev.chatplatform.rollout.flag.FlagDefinition;
import dev.chatplatform.rollout.flag.SloRules;

import java.util.List;

/** Body of {@code POST /api/v1/flags} (key required) and {@code PUT /api/v1/flags/{key}} (key ignored). */
public record FlagRequest(
        String key,
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
        SloRules rules,
        String reason) {

    FlagDefinition definition() {
        return new FlagDefinition(description, kind, enabled, variants, offVariant, allowList, denyList, segments,
                rolloutPercentage, groupId, rules);
    }
}
