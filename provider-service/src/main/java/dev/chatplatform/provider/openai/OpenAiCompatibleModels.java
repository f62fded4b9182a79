package dev.chatplatform.provider.openai;

import dev.chatplatform.provider.catalog.ModelCatalog;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;

import java.util.List;

/**
 * Registers the models an OpenAI-compatible server serves ({@code OPENAI_COMPATIBLE_MODELS}) in the catalog
 * under their own names. They get no price: an admin adds one (possibly a deliberate zero for a free local
 * server) before they can be served, so nothing is ever served at $0 by accident.
 */
class OpenAiCompatibleModels implements ApplicationRunner {

    static final String PROVIDER = "openai-compatible";

    private final List<String> models;
    private final ModelCatalog catalog;

    OpenAiCompatibleModels(List<String> models, ModelCatalog catalog) {
        this.models = models;
        this.catalog = catalog;
    }

    @Override
    public void run(ApplicationArguments args) {
        models.forEach(m -> catalog.registerIfAbsent(m, PROVIDER, m));
    }
}
