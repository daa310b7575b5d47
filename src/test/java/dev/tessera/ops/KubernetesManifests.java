package dev.tessera.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** Every YAML document under {@code k8s/}, parsed into the typed fabric8 Kubernetes model. */
record KubernetesManifests(List<Document> documents) {

    static final Path ROOT = Path.of("k8s");

    /** One YAML document, the file it came from, and the object it parsed into. */
    record Document(Path file, HasMetadata object) {
    }

    static KubernetesManifests load() {
        KubernetesSerialization serialization = new KubernetesSerialization();
        List<Document> documents = new ArrayList<>();
        for (Path file : yamlFiles()) {
            for (String text : read(file).split("(?m)^---\\s*$")) {
                if (!text.lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#"))) {
                    documents.add(new Document(file, serialization.unmarshal(text)));
                }
            }
        }
        return new KubernetesManifests(documents);
    }

    static List<Path> yamlFiles() {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return documents.stream().map(Document::object).filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T named(Class<T> type, String name) {
        return all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst()
                .orElseThrow(() -> new AssertionError("No " + type.getSimpleName() + " named " + name + " under k8s/"));
    }

    Deployment service() {
        return named(Deployment.class, "tessera");
    }

    /** The kustomization.yaml of a directory, as a generic object (it is not a cluster resource). */
    Map<String, Object> kustomization(Path dir) {
        return documents.stream().filter(d -> d.file().equals(dir.resolve("kustomization.yaml")))
                .map(d -> (GenericKubernetesResource) d.object()).findFirst()
                .orElseThrow(() -> new AssertionError("No kustomization.yaml in " + dir)).getAdditionalProperties();
    }

    /** Pod templates of every workload: Deployments and CronJobs. */
    List<PodTemplateSpec> podTemplates() {
        List<PodTemplateSpec> templates = new ArrayList<>();
        all(Deployment.class).forEach(d -> templates.add(d.getSpec().getTemplate()));
        all(CronJob.class).forEach(c -> templates.add(c.getSpec().getJobTemplate().getSpec().getTemplate()));
        return templates;
    }

    static List<Container> containers(PodTemplateSpec template) {
        List<Container> all = new ArrayList<>(template.getSpec().getContainers());
        if (template.getSpec().getInitContainers() != null) {
            all.addAll(template.getSpec().getInitContainers());
        }
        return all;
    }

    ConfigMap configMap(String name) {
        return named(ConfigMap.class, name);
    }

    Secret secret(String name) {
        return named(Secret.class, name);
    }
}
