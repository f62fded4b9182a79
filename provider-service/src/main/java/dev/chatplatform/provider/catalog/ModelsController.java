package dev.chatplatform.provider.catalog;

import dev.chatplatform.kit.identity.Scope;
import dev.chatplatform.kit.web.RequiresScope;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;

@RequiresScope(Scope.CHAT)
@RestController
class ModelsController {

    private final ModelCatalog catalog;

    ModelsController(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    @GetMapping("/v1/models")
    ModelListResponse list() {
        Instant now = Instant.now();
        return ModelListResponse.of(catalog.available(now).stream().map(m -> catalog.priced(m.id(), now)).toList());
    }

    @GetMapping("/v1/models/{id}")
    ModelListResponse.ModelResponse get(@PathVariable String id) {
        return ModelListResponse.ModelResponse.of(catalog.priced(id, Instant.now()));
    }
}
