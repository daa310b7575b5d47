package dev.tessera.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;

/**
 * The manifests under k8s/ describe the service as it really is: its probe endpoints and port, the
 * environment variables it reads, the security settings every pod needs, and the network it may use.
 */
class KubernetesManifestsTest {

    static final Path PROPERTIES = Path.of("src/main/resources/application.properties");
    static final List<String> REQUIRED_IN_PRODUCTION = List.of("TESSERA_DB_REACTIVE_URL", "TESSERA_DB_JDBC_URL",
            "TESSERA_DB_APP_PASSWORD", "TESSERA_DB_OWNER_PASSWORD", "TESSERA_OIDC_SERVER_URL", "TESSERA_OIDC_AUDIENCE",
            "TESSERA_MASTER_KEY", "TESSERA_API_KEY_PEPPER");

    static KubernetesManifests k8s;
    static String properties;

    @BeforeAll
    static void parseEveryDocument() throws Exception {
        k8s = KubernetesManifests.load();
        properties = Files.readString(PROPERTIES);
    }

    @Test
    void everyDocumentIsATypedKubernetesObject() {
        var kinds = k8s.documents().stream().map(d -> d.object().getKind()).toList();

        assertThat(k8s.documents()).allSatisfy(d -> {
            assertThat(d.object().getApiVersion()).as(d.file().toString()).isNotBlank();
            assertThat(d.object().getMetadata() == null ? "kustomization" : d.object().getMetadata().getName())
                    .as(d.file().toString()).isNotBlank();
            if (!d.file().getFileName().toString().equals("kustomization.yaml")) {
                assertThat(d.object()).as(d.file() + " " + d.object().getKind()).isNotInstanceOf(GenericKubernetesResource.class);
            }
        });
        assertThat(kinds).contains("Deployment", "Service", "ConfigMap", "Secret", "HorizontalPodAutoscaler",
                "PodDisruptionBudget", "NetworkPolicy", "CronJob", "PersistentVolumeClaim", "Namespace");
    }

    @Test
    void kustomizeBaseListsEveryManifestExceptTheSecretTemplate() throws Exception {
        Path base = KubernetesManifests.ROOT.resolve("base");
        List<String> files;
        try (var s = Files.list(base)) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList();
        }

        @SuppressWarnings("unchecked")
        List<String> resources = (List<String>) k8s.kustomization(base).get("resources");

        assertThat(new TreeSet<>(resources)).containsExactlyElementsOf(files.stream()
                .filter(f -> !f.equals("kustomization.yaml") && !f.equals("secret.template.yaml")).sorted().toList());
    }

    @Test
    void probesUseTheServiceHealthEndpointsOnItsHttpPort() throws Exception {
        Container c = serviceContainer();

        assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/started");
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        for (Probe p : List.of(c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe())) {
            assertThat(port(c, p.getHttpGet().getPort())).isEqualTo(8080);
        }
        Properties app = new Properties();
        app.load(new java.io.StringReader(properties));
        assertThat(app.getProperty("quarkus.http.port")).isEqualTo("8080");
        // The /q/health paths hold only while neither root path is moved.
        assertThat(app.stringPropertyNames()).noneMatch(k -> k.endsWith("non-application-root-path")
                || k.endsWith("quarkus.smallrye-health.root-path") || k.endsWith("quarkus.http.root-path"));
    }

    @Test
    void theServiceSendsTrafficToTheHttpPort() {
        Service svc = k8s.named(Service.class, "tessera");

        assertThat(svc.getSpec().getSelector()).isEqualTo(k8s.service().getSpec().getSelector().getMatchLabels());
        assertThat(svc.getSpec().getPorts()).singleElement().satisfies(p -> assertThat(port(serviceContainer(), p.getTargetPort())).isEqualTo(8080));
    }

    @Test
    void everyContainerRunsAsNonRootOnAReadOnlyRootWithoutPrivileges() {
        var containers = k8s.podTemplates().stream().flatMap(t -> KubernetesManifests.containers(t).stream()).toList();

        assertThat(containers).hasSizeGreaterThanOrEqualTo(3).allSatisfy(c -> {
            SecurityContext s = c.getSecurityContext();
            assertThat(s).as(c.getName()).isNotNull();
            assertThat(s.getRunAsNonRoot()).as(c.getName() + " runAsNonRoot").isTrue();
            assertThat(s.getReadOnlyRootFilesystem()).as(c.getName() + " readOnlyRootFilesystem").isTrue();
            assertThat(s.getAllowPrivilegeEscalation()).as(c.getName() + " allowPrivilegeEscalation").isFalse();
            assertThat(s.getPrivileged()).as(c.getName() + " privileged").isNotEqualTo(Boolean.TRUE);
            assertThat(s.getCapabilities().getDrop()).as(c.getName() + " capabilities.drop").containsExactly("ALL");
            assertThat(s.getCapabilities().getAdd()).as(c.getName() + " capabilities.add").isNullOrEmpty();
            assertThat(c.getResources().getRequests()).as(c.getName() + " requests").containsKeys("cpu", "memory");
            assertThat(c.getResources().getLimits()).as(c.getName() + " limits").containsKey("memory");
        });
    }

    @Test
    void everyEnvironmentVariableOfTheServiceIsOneItReads() {
        List<String> names = serviceEnvironmentNames();

        assertThat(names).containsAll(REQUIRED_IN_PRODUCTION);
        assertThat(names).allSatisfy(n -> assertThat(properties).as(n + " in application.properties").containsPattern(
                "\\$\\{" + n + "[:}]"));
    }

    @Test
    void passwordsComeFromTheSecretAndNotTheConfigMap() {
        var config = k8s.configMap("tessera-config").getData().keySet();
        var secret = k8s.secret("tessera-db").getStringData();

        assertThat(config).noneMatch(k -> k.contains("PASSWORD"));
        assertThat(secret).containsOnlyKeys("TESSERA_DB_APP_PASSWORD", "TESSERA_DB_OWNER_PASSWORD");
        assertThat(secret.values()).allSatisfy(v -> assertThat(v).startsWith("CHANGE-ME"));
    }

    @Test
    void theServiceNetworkPolicyAdmitsOnlyItsHttpPort() {
        NetworkPolicy policy = policyOf(k8s.service().getSpec().getTemplate().getMetadata().getLabels());

        var ingressPorts = policy.getSpec().getIngress().stream().flatMap(r -> {
            assertThat(r.getPorts()).as("an ingress rule without ports admits every port").isNotEmpty();
            return r.getPorts().stream();
        }).map(p -> p.getProtocol() + "/" + p.getPort().getIntVal()).toList();
        var egressPorts = policy.getSpec().getEgress().stream().flatMap(r -> r.getPorts().stream())
                .map(NetworkPolicyPort::getPort).map(IntOrString::getIntVal).distinct().sorted().toList();

        assertThat(policy.getSpec().getPolicyTypes()).contains("Ingress", "Egress");
        assertThat(ingressPorts).containsOnly("TCP/8080");
        assertThat(egressPorts).containsExactly(53, 443, 5432, 6379, 6432);
    }

    @Test
    void redisIsAnExternalDependencyTheServiceIsPointedAtAndLimitsWithoutAlone() {
        var config = k8s.configMap("tessera-config").getData();

        assertThat(config.get("TESSERA_REDIS_URL")).startsWith("redis://").endsWith(":6379");
        assertThat(Integer.parseInt(config.get("TESSERA_RATE_LIMIT_FALLBACK_REPLICAS")))
                .as("each pod's share of a limit while Redis is away: the HPA's minimum")
                .isEqualTo(k8s.named(io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler.class, "tessera")
                        .getSpec().getMinReplicas());
    }

    @Test
    void pgbouncerPoolsTransactionsAndCarriesPreparedStatementsWhenTheServiceCachesThem() throws Exception {
        String baseIni = k8s.configMap("tessera-pgbouncer").getData().get("pgbouncer.ini");
        String prodIni = overlayPatches().stream().filter(op -> "/data/pgbouncer.ini".equals(op.get("path")))
                .map(op -> (String) op.get("value")).findFirst().orElseThrow();
        var config = k8s.configMap("tessera-config").getData();
        boolean cached = Boolean.parseBoolean(config.get("TESSERA_DB_CACHE_PREPARED_STATEMENTS"));
        boolean layer7 = Boolean.parseBoolean(config.get("TESSERA_DB_LAYER7_PROXY"));

        // The two working combinations (measured with PgBouncer 1.18, see docs/deployment.md): statements cached
        // and carried by PgBouncer >= 1.21; or no cache and every statement sent whole (layer 7 proxy mode).
        assertThat(cached).as("TESSERA_DB_CACHE_PREPARED_STATEMENTS xor TESSERA_DB_LAYER7_PROXY").isNotEqualTo(layer7);
        for (String ini : List.of(baseIni, prodIni)) {
            assertThat(ini).containsPattern("(?m)^pool_mode\\s*=\\s*transaction$");
            if (cached) {
                assertThat(ini).containsPattern("(?m)^max_prepared_statements\\s*=\\s*[1-9][0-9]*$");
            }
        }
        assertThat(k8s.configMap("tessera-config").getData().get("TESSERA_DB_REACTIVE_URL")).contains("tessera-pgbouncer:6432");
        assertThat(k8s.configMap("tessera-config").getData().get("TESSERA_DB_JDBC_URL")).doesNotContain("pgbouncer");
    }

    @Test
    void pgbouncerVerifiesPostgresAndServesTlsToTheServiceWithCertificatesFromSecrets() throws Exception {
        String baseIni = k8s.configMap("tessera-pgbouncer").getData().get("pgbouncer.ini");
        String prodIni = overlayPatches().stream().filter(op -> "/data/pgbouncer.ini".equals(op.get("path")))
                .map(op -> (String) op.get("value")).findFirst().orElseThrow();
        Deployment pgbouncer = k8s.named(Deployment.class, "tessera-pgbouncer");
        var mounts = new java.util.HashMap<String, String>(); // mount path -> secret name
        var volumes = pgbouncer.getSpec().getTemplate().getSpec().getVolumes();
        KubernetesManifests.containers(pgbouncer.getSpec().getTemplate()).get(0).getVolumeMounts()
                .forEach(m -> volumes.stream().filter(v -> v.getName().equals(m.getName()) && v.getSecret() != null)
                        .forEach(v -> mounts.put(m.getMountPath(), v.getSecret().getSecretName())));
        var service = KubernetesManifests.containers(k8s.named(Deployment.class, "tessera").getSpec().getTemplate()).get(0);

        for (String ini : List.of(baseIni, prodIni)) {
            assertThat(ini).containsPattern("(?m)^server_tls_sslmode\\s*=\\s*verify-full$")
                    .containsPattern("(?m)^client_tls_sslmode\\s*=\\s*(require|verify-ca|verify-full)$");
            assertThat(secretOf(ini, "server_tls_ca_file", mounts)).isEqualTo("tessera-db-ca");
            assertThat(secretOf(ini, "client_tls_cert_file", mounts)).isEqualTo("tessera-pgbouncer-tls");
            assertThat(secretOf(ini, "client_tls_key_file", mounts)).isEqualTo("tessera-pgbouncer-tls");
        }
        assertThat(k8s.secret("tessera-pgbouncer-tls").getType()).isEqualTo("kubernetes.io/tls");
        assertThat(service.getEnv()).anySatisfy(e -> assertThat(e.getName() + "=" + e.getValue())
                .isEqualTo("TESSERA_DB_SSL_MODE=verify-full"));
    }

    @Test
    void theGrafanaDashboardShipsAsAConfigMapForTheGrafanaSidecar() throws Exception {
        Path monitoring = KubernetesManifests.ROOT.resolve("monitoring");
        Map<String, Object> kustomization = k8s.kustomization(monitoring);

        @SuppressWarnings("unchecked")
        var generator = ((List<Map<String, Object>>) kustomization.get("configMapGenerator")).get(0);
        @SuppressWarnings("unchecked")
        var options = (Map<String, Map<String, String>>) kustomization.get("generatorOptions");
        @SuppressWarnings("unchecked")
        var overlay = (List<String>) k8s.kustomization(KubernetesManifests.ROOT.resolve("overlays/prod")).get("resources");

        assertThat(generator.get("files")).isEqualTo(List.of("grafana-dashboard-tessera.json"));
        assertThat(options.get("labels")).containsEntry("grafana_dashboard", "1");
        assertThat(new ObjectMapper().readTree(monitoring.resolve("grafana-dashboard-tessera.json").toFile())
                .get("panels").size()).isGreaterThan(10);
        assertThat(overlay).contains("../../monitoring");
    }

    /** The Secret mounted at the directory of the file that {@code key} of the ini names. */
    private static String secretOf(String ini, String key, Map<String, String> mounts) {
        var m = java.util.regex.Pattern.compile("(?m)^" + key + "\\s*=\\s*(\\S+)$").matcher(ini);
        assertThat(m.find()).as(key + " set").isTrue();
        String file = m.group(1);
        return mounts.getOrDefault(file.substring(0, file.lastIndexOf('/')), "(no secret mounted at " + file + ")");
    }

    @Test
    void prodOverlayNeverPatchesProbesPortsOrSecurity() throws Exception {
        List<Map<String, Object>> ops = overlayPatches();

        assertThat(ops).isNotEmpty().allSatisfy(op -> assertThat((String) op.get("path")).doesNotContainIgnoringCase("securityContext")
                .doesNotContainIgnoringCase("probe").doesNotContainIgnoringCase("ports").doesNotContainIgnoringCase("capabilities")
                .doesNotContainIgnoringCase("privileged").doesNotContainIgnoringCase("runAs").doesNotContainIgnoringCase("host"));
    }

    @Test
    void theBackupJobWritesAVerifiedCustomFormatDump() {
        CronJob job = k8s.named(CronJob.class, "tessera-backup");
        Container c = job.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0);

        String script = String.join("\n", c.getArgs());

        assertThat(job.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
        assertThat(script).contains("pg_dump -Fc").contains("pg_restore --list").contains("set -euo pipefail")
                .contains("--exclude-table-data='tessera_keys.*'").contains("WHERE t.state NOT IN ('OFFBOARDING', 'OFFBOARDED')");
        assertThat(c.getEnv()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("PGPASSWORD")
                .satisfies(n -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("tessera-backup")));
    }

    private static Container serviceContainer() {
        return k8s.service().getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getName().equals("tessera")).findFirst().orElseThrow();
    }

    /** Resolves a port given by number or by the name of one of the container's ports. */
    private static int port(Container c, IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return c.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("No container port named " + port.getStrVal())).getContainerPort();
    }

    /** Names from env and from every ConfigMap and Secret the service container takes whole (envFrom). */
    private static List<String> serviceEnvironmentNames() {
        Container c = serviceContainer();
        List<String> names = new ArrayList<>();
        if (c.getEnv() != null) {
            c.getEnv().forEach(e -> names.add(e.getName()));
        }
        for (EnvFromSource from : c.getEnvFrom()) {
            assertThat(from.getPrefix()).isNull();
            if (from.getConfigMapRef() != null) {
                names.addAll(k8s.configMap(from.getConfigMapRef().getName()).getData().keySet());
            }
            if (from.getSecretRef() != null) {
                names.addAll(k8s.secret(from.getSecretRef().getName()).getStringData().keySet());
            }
        }
        return names;
    }

    private static NetworkPolicy policyOf(Map<String, String> podLabels) {
        return k8s.all(NetworkPolicy.class).stream()
                .filter(p -> podLabels.entrySet().containsAll(p.getSpec().getPodSelector().getMatchLabels().entrySet()))
                .reduce((a, b) -> {
                    throw new AssertionError("More than one NetworkPolicy selects the service's pods");
                }).orElseThrow(() -> new AssertionError("No NetworkPolicy selects the service's pods"));
    }

    /** Every JSON 6902 operation of the prod overlay's patches. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> overlayPatches() throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<Map<String, Object>> ops = new ArrayList<>();
        var patches = (List<Map<String, Object>>) k8s.kustomization(KubernetesManifests.ROOT.resolve("overlays/prod")).get("patches");
        for (Map<String, Object> patch : patches) {
            ops.addAll(yaml.readValue((String) patch.get("patch"), List.class));
        }
        return ops;
    }
}
