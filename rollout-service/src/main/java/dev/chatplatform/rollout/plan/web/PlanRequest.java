package dev.chatplatform.rollout.plan.web;

import dev.chatplatform.rollout.plan.Phase;

import java.util.List;

/** Body of {@code PUT /api/v1/flags/{key}/plan}: phases (absent = the default plan), automatic advance, why. */
public record PlanRequest(List<Phase> phases, Boolean autoAdvance, String reason) {
}
