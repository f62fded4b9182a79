package dev.chatplatform.provider.upstream;

import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The providers switched on in this deployment, by name. Models of other providers are neither listed nor served. */
@Component
public class ProviderRegistry {

    private final Map<String, ChatProvider> providers;

    public ProviderRegistry(List<ChatProvider> providers) {
        this.providers = providers.stream().collect(Collectors.toUnmodifiableMap(ChatProvider::name, Function.identity()));
    }

    public Optional<ChatProvider> find(String name) {
        return Optional.ofNullable(providers.get(name));
    }

    public boolean configured(String name) {
        return providers.containsKey(name);
    }

    public Set<String> names() {
        return providers.keySet();
    }
}
