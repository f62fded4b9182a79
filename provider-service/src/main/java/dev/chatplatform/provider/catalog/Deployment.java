package dev.chatplatform.provider.catalog;

/**
 * One place a catalog model is served: a provider and the name it knows the model by.
 *
 * @param weight share of traffic among the model's deployments; 0 = standby, used only when the others fail
 */
public record Deployment(String provider, String upstreamModel, int weight) {

    public Deployment {
        if (weight < 0) {
            throw new IllegalArgumentException("weight must be >= 0");
        }
    }
}
