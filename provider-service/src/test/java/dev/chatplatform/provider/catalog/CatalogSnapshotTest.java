package dev.chatplatform.provider.catalog;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CatalogSnapshotTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    private static Model model(String id, boolean enabled, String... aliases) {
        return new Model(id, "simulated", id, 8192, 1024, List.of("chat"), List.of(aliases), List.of(), List.of(),
                enabled, NOW);
    }

    private static Price price(String model, Instant from, long perMillion) {
        return new Price(model, from, perMillion, perMillion, perMillion);
    }

    @Test
    void anIdWinsOverAnotherModelsAliasAsTheDatabaseLookupDid() {
        CatalogSnapshot catalog = new CatalogSnapshot(List.of(model("a", true, "b", "shared"), model("b", true),
                model("c", true, "shared")), Map.of(), Map.of(), NOW);

        assertThat(catalog.find("b")).map(Model::id).contains("b");
        assertThat(catalog.find("shared")).map(Model::id).contains("a"); // the first model by id
        assertThat(catalog.find("nope")).isEmpty();
    }

    @Test
    void pricedModelsAreTheEnabledOnesWithAPriceInForceAndAFuturePriceTakesEffectOnTime() {
        Instant nextWeek = NOW.plusSeconds(7 * 86_400);
        CatalogSnapshot catalog = new CatalogSnapshot(
                List.of(model("later", true), model("now", true), model("off", true), model("unpriced", true)),
                Map.of("now", List.of(new Deployment("simulated", "now-v2", 1))),
                Map.of("now", List.of(price("now", NOW.minusSeconds(60), 5), price("now", nextWeek, 7)),
                        "later", List.of(price("later", nextWeek, 1)),
                        "off", List.of(price("off", NOW.minusSeconds(60), 1))),
                NOW);
        CatalogSnapshot withOffDisabled = new CatalogSnapshot(List.of(model("now", true), model("off", false)),
                Map.of(), catalog.prices(), NOW);

        assertThat(catalog.pricedModels(NOW)).map(Model::id).containsExactly("now", "off");
        assertThat(catalog.pricedModels(nextWeek)).map(Model::id).containsExactly("later", "now", "off");
        assertThat(withOffDisabled.pricedModels(NOW)).map(Model::id).containsExactly("now");
        assertThat(Price.inForceAt(catalog.pricesOf("now"), nextWeek)).map(Price::inputPerMillion).contains(7L);
        assertThat(catalog.deploymentsOf("now")).extracting(Deployment::upstreamModel).containsExactly("now-v2");
        assertThat(catalog.deploymentsOf("later")).isEmpty();
    }
}
