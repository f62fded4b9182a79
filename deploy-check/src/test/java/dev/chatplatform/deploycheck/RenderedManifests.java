package dev.chatplatform.deploycheck;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.yaml.snakeyaml.Yaml;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An overlay rendered by {@code kubectl kustomize} and read into fabric8's Kubernetes model strictly: a kind
 * the model does not know, a field it does not know (anywhere in the object) or a value of the wrong type
 * fails, as the API server's schema validation would.
 */
final class RenderedManifests {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    final String overlay;
    final List<HasMetadata> objects;

    private RenderedManifests(String overlay, List<HasMetadata> objects) {
        this.overlay = overlay;
        this.objects = objects;
    }

    static RenderedManifests render(String overlay) {
        return parse(overlay, kustomize(Platform.ROOT.resolve("deploy/overlays").resolve(overlay)));
    }

    static RenderedManifests parse(String overlay, String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        for (Object document : new Yaml().loadAll(yaml)) {
            if (document != null) {
                objects.add(strictly(overlay, document));
            }
        }
        return new RenderedManifests(overlay, List.copyOf(objects));
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
    }

    <T extends HasMetadata> T get(Class<T> type, String name) {
        return find(type, name).orElseThrow(() -> new AssertionError(
                overlay + " renders no " + type.getSimpleName() + " named " + name));
    }

    /** Finds a generated object (name with kustomize's hash suffix) by the name it was declared with. */
    <T extends HasMetadata> T generated(Class<T> type, String declaredName) {
        return all(type).stream().filter(o -> o.getMetadata().getName().matches(
                        java.util.regex.Pattern.quote(declaredName) + "(-[a-z0-9]{10})?"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(overlay + " renders no " + type.getSimpleName()
                        + " generated as " + declaredName));
    }

    private static HasMetadata strictly(String overlay, Object document) {
        String json = SERIALIZATION.asJson(document);
        KubernetesResource resource;
        try {
            resource = SERIALIZATION.unmarshal(json, KubernetesResource.class);
        } catch (RuntimeException e) {
            throw new AssertionError(overlay + ": an object does not match the Kubernetes schema: " + e.getMessage()
                    + "\n" + json, e);
        }
        if (!(resource instanceof HasMetadata object) || resource instanceof GenericKubernetesResource) {
            throw new AssertionError(overlay + ": unknown kind or apiVersion (not in the Kubernetes API): " + json);
        }
        List<String> unknown = new ArrayList<>();
        unknownFields(object, "", unknown, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
        if (!unknown.isEmpty()) {
            throw new AssertionError(overlay + ": " + object.getKind() + " " + object.getMetadata().getName()
                    + " has fields Kubernetes does not know: " + unknown);
        }
        return object;
    }

    /** Fields the model did not recognise end up in additionalProperties; none may. */
    private static void unknownFields(Object value, String path, List<String> unknown, Set<Object> seen) {
        if (value == null || !seen.add(value)) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", unknown, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, unknown, seen));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object child;
            try {
                child = getter.invoke(value);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(k -> unknown.add(path + "." + k));
                }
            } else if (!isFreeForm(getter)) {
                unknownFields(child, path + "." + property(getter), unknown, seen);
            }
        }
    }

    /** Maps of free-form strings (labels, annotations, data) hold no model objects. */
    private static boolean isFreeForm(Method getter) {
        return Stream.of("getLabels", "getAnnotations", "getData", "getBinaryData", "getStringData",
                "getMatchLabels", "getNodeSelector", "getLimits", "getRequests").anyMatch(getter.getName()::equals);
    }

    private static String property(Method getter) {
        String name = getter.getName().substring(3);
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    private static String kustomize(Path overlay) {
        String kubectl = kubectl();
        try {
            Path out = Files.createTempFile("kustomize", ".yaml");
            Path err = Files.createTempFile("kustomize", ".err");
            Process process = new ProcessBuilder(kubectl, "kustomize", overlay.toString())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("kubectl kustomize " + overlay + " did not finish in 2 minutes");
            }
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + overlay + " failed (exit " + process.exitValue()
                        + "):\n" + stderr);
            }
            String yaml = Files.readString(out, StandardCharsets.UTF_8);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return yaml;
        } catch (IOException e) {
            throw new AssertionError("could not run " + kubectl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** kubectl from KUBECTL, the PATH or /usr/local/bin; its absence fails the build rather than skipping. */
    static String kubectl() {
        Stream<Path> candidates = Stream.concat(
                Stream.ofNullable(System.getenv("KUBECTL")).map(Path::of),
                Stream.concat(Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                                .filter(d -> !d.isBlank()).map(d -> Path.of(d, "kubectl")),
                        Stream.of(Path.of("/usr/local/bin/kubectl"), Path.of("/usr/bin/kubectl"))));
        return candidates.filter(Files::isExecutable).findFirst().map(Path::toString)
                .orElseThrow(() -> new AssertionError("""
                        kubectl is not installed, so the Kubernetes manifests in deploy/ cannot be checked.
                        Install kubectl (it includes kustomize) or point the KUBECTL variable at it;
                        see deploy/README.md, "Checks in CI"."""));
    }
}
