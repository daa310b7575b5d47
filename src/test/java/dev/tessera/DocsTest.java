package dev.tessera;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tessera.shared.error.ProblemType;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;

/**
 * The docs stay true to the code: every relative link of the README, {@code docs/} and {@code bench/README.md}
 * resolves (file and heading), every problem type is in {@code docs/api.md}, and every {@code tessera.*}
 * setting is in {@code docs/configuration.md}. Plain JUnit: no Quarkus, no database.
 */
class DocsTest {

    /** Surefire runs with the module directory as working directory. */
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).toAbsolutePath();

    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+?)\\s*#*\\s*$");
    private static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~)");
    private static final Pattern CODE_SPAN = Pattern.compile("`[^`]*`");
    private static final Pattern CONFIG_PROPERTY = Pattern.compile("@ConfigProperty\\(\\s*name\\s*=\\s*\"(tessera\\.[^\"]+)\"");
    private static final Pattern EXPRESSION = Pattern.compile("\\{(tessera\\.[a-z0-9.-]+)\\}");

    @Test
    void everyRelativeLinkInTheDocsResolves() {
        List<String> broken = documents().stream().flatMap(d -> brokenLinks(d).stream()).toList();

        assertThat(documents()).as("documents checked").contains(ROOT.resolve("README.md"), ROOT.resolve("docs/api.md"));
        assertThat(broken).as("relative links that lead nowhere (file or heading)").isEmpty();
    }

    @Test
    void theLinkCheckFindsAMissingFileAndAMissingHeading(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("there.md"), "# A heading\n\n## `Code` (in it), too\n");
        Path doc = dir.resolve("doc.md");
        Files.writeString(doc, """
                # Doc
                [ok](there.md) [ok](there.md#a-heading) [ok](there.md#code-in-it-too) [ok](#doc) [web](https://example.com)
                [gone](missing.md) [gone](there.md#no-such-heading) [gone](#nowhere)
                ```
                [in code](ignored.md)
                ```
                """);

        assertThat(brokenLinks(doc)).hasSize(3)
                .anyMatch(l -> l.contains("missing.md")).anyMatch(l -> l.contains("no-such-heading")).anyMatch(l -> l.contains("#nowhere"));
    }

    @Test
    void everyProblemTypeIsInTheApiReference() throws IOException {
        String api = Files.readString(ROOT.resolve("docs/api.md"));

        List<String> missing = Arrays.stream(ProblemType.values()).map(t -> t.uri().toString())
                .filter(uri -> !api.contains("`" + uri + "`")).toList();

        assertThat(ProblemType.values()).isNotEmpty();
        assertThat(missing).as("problem types missing from docs/api.md").isEmpty();
    }

    @Test
    void everyTesseraSettingIsInTheConfigurationReference() throws IOException {
        String configuration = Files.readString(ROOT.resolve("docs/configuration.md"));
        Set<String> settings = new TreeSet<>(propertiesFileSettings());
        settings.addAll(configMappingSettings());
        settings.addAll(sourceSettings());

        List<String> missing = settings.stream().filter(s -> !configuration.contains("`" + s + "`")).toList();

        assertThat(settings).as("settings found in the code").contains("tessera.db.coalesce-flushes",
                "tessera.db.bootstrap.role-password", "tessera.tenancy.idp.allow-http", "tessera.http.max-body-size");
        assertThat(missing).as("tessera.* settings missing from docs/configuration.md").isEmpty();
    }

    @Test
    void configMappingNamesFollowSmallRyeKebabCase() {
        assertThat(kebab("poolAcquireTimeout")).isEqualTo("pool-acquire-timeout");
        assertThat(kebab("claim")).isEqualTo("claim");
        assertThat(kebab("allowHttp")).isEqualTo("allow-http");
    }

    // --- documents and links

    private static List<Path> documents() {
        List<Path> docs = new ArrayList<>();
        docs.add(ROOT.resolve("README.md"));
        docs.add(ROOT.resolve("bench/README.md"));
        try (Stream<Path> files = Files.walk(ROOT.resolve("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    /** "file:line: target" for every relative link of {@code doc} whose file or heading does not exist. */
    private static List<String> brokenLinks(Path doc) {
        List<String> broken = new ArrayList<>();
        List<String> lines = read(doc);
        boolean inFence = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (FENCE.matcher(line).find()) {
                inFence = !inFence;
                continue;
            }
            if (inFence) {
                continue;
            }
            Matcher m = LINK.matcher(CODE_SPAN.matcher(line).replaceAll(""));
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                    continue; // https:, mailto: and the like
                }
                if (!resolves(doc, target)) {
                    broken.add(ROOT.relativize(doc.toAbsolutePath()) + ":" + (i + 1) + ": " + target);
                }
            }
        }
        return broken;
    }

    private static boolean resolves(Path doc, String target) {
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path path = file.isEmpty() ? doc : doc.getParent().resolve(file).normalize();
        if (!Files.exists(path)) {
            return false;
        }
        if (anchor == null || anchor.isEmpty() || !path.toString().endsWith(".md")) {
            return true;
        }
        return anchors(path).contains(anchor);
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces to '-', "-1", "-2" for repeats. */
    private static Set<String> anchors(Path doc) {
        Set<String> anchors = new TreeSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean inFence = false;
        for (String line : read(doc)) {
            if (FENCE.matcher(line).find()) {
                inFence = !inFence;
                continue;
            }
            Matcher m = HEADING.matcher(line);
            if (inFence || !m.matches()) {
                continue;
            }
            String slug = m.group(1).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
            int n = seen.merge(slug, 1, Integer::sum);
            anchors.add(n == 1 ? slug : slug + "-" + (n - 1));
        }
        return anchors;
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- settings

    /** Keys of application.properties that start with tessera., whatever their profile. */
    private static Set<String> propertiesFileSettings() {
        Set<String> keys = new TreeSet<>();
        for (String line : read(ROOT.resolve("src/main/resources/application.properties"))) {
            String l = line.strip();
            int eq = l.indexOf('=');
            if (l.isEmpty() || l.startsWith("#") || eq < 0) {
                continue;
            }
            String key = l.substring(0, eq).strip().replaceFirst("^%[^.]+\\.", "");
            if (key.startsWith("tessera.")) {
                keys.add(key);
            }
        }
        return keys;
    }

    /** Every property of every {@code @ConfigMapping(prefix = "tessera...")} interface, groups followed. */
    private static Set<String> configMappingSettings() {
        Set<String> names = new TreeSet<>();
        for (Class<?> mapping : configMappings()) {
            String prefix = mapping.getAnnotation(ConfigMapping.class).prefix();
            if (prefix.startsWith("tessera.")) {
                collect(mapping, prefix, names);
            }
        }
        assertThat(names).as("@ConfigMapping properties found").isNotEmpty();
        return names;
    }

    private static void collect(Class<?> group, String prefix, Set<String> names) {
        for (Method method : group.getMethods()) {
            if (method.isDefault() || Modifier.isStatic(method.getModifiers()) || method.getParameterCount() > 0
                    || method.getDeclaringClass() == Object.class) {
                continue;
            }
            String name = method.isAnnotationPresent(WithParentName.class) ? prefix
                    : prefix + "." + (method.isAnnotationPresent(WithName.class)
                            ? method.getAnnotation(WithName.class).value() : kebab(method.getName()));
            Class<?> type = valueType(method.getGenericReturnType());
            if (type.isInterface() && type.getName().startsWith("dev.tessera.")) {
                collect(type, name, names);
            } else {
                names.add(name);
            }
        }
    }

    /** The group type behind {@code Optional<Group>}, else the raw return type. */
    private static Class<?> valueType(Type type) {
        if (type instanceof ParameterizedType p && p.getRawType() == Optional.class
                && p.getActualTypeArguments()[0] instanceof Class<?> c) {
            return c;
        }
        return type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    }

    private static List<Class<?>> configMappings() {
        Path sources = ROOT.resolve("src/main/java");
        try (Stream<Path> files = Files.walk(sources)) {
            return files.filter(p -> p.toString().endsWith(".java")).filter(p -> read(p).stream()
                    .anyMatch(l -> l.startsWith("@ConfigMapping("))).<Class<?>>map(p -> {
                        String name = sources.relativize(p).toString().replace(".java", "").replace('/', '.').replace('\\', '.');
                        try {
                            return Class.forName(name);
                        } catch (ClassNotFoundException e) {
                            throw new IllegalStateException("Cannot load " + name, e);
                        }
                    }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Names read by {@code @ConfigProperty(name = "tessera...")} or {@code {tessera...}} expressions in the code. */
    private static Set<String> sourceSettings() {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve("src/main/java"))) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(p -> {
                String text = String.join("\n", read(p));
                for (Pattern pattern : List.of(CONFIG_PROPERTY, EXPRESSION)) {
                    Matcher m = pattern.matcher(text);
                    while (m.find()) {
                        names.add(m.group(1));
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    /** SmallRye's default naming: {@code poolAcquireTimeout} is {@code pool-acquire-timeout}. */
    static String kebab(String method) {
        return method.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
