package dev.chatplatform.provider.catalog;

import java.util.List;

/**
 * Creates a model (POST: {@code id}, {@code provider}, {@code contextWindow}, {@code maxOutputTokens} required)
 * or changes one (PATCH: every field optional, null = unchanged; a list given replaces the old one).
 *
 * @param deployments where the model is served; empty = its own {@code provider} / {@code upstreamModel}
 * @param fallbacks   model ids tried in order when every deployment failed before answering
 * @param tiers       account tiers allowed; empty = every tier
 * @param reason      why (optional): kept in the audit log with the change
 */
public record ModelAdminRequest(String id, String provider, String upstreamModel, List<String> aliases,
                                Integer contextWindow, Integer maxOutputTokens, List<String> capabilities,
                                List<String> tiers, List<String> fallbacks, List<DeploymentRequest> deployments,
                                Boolean enabled, String reason) {

    public record DeploymentRequest(String provider, String upstreamModel, Integer weight) {
    }
}
