package io.emostream.topology.app;

import io.emostream.topology.ConfigTables;
import io.emostream.topology.EmoStreamConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's configuration tables are exactly what {@link ConfigTables} renders from the {@link ConfigDef}s, each
 * between {@code <!-- config:NAME -->} and {@code <!-- /config:NAME -->}. With {@code -Dregenerate=true} the test
 * rewrites those sections instead of failing.
 */
class ReadmeConfigTablesTest {
    private static final String REGENERATE = "mvn -B -ntp -o -q -pl topology -am test -Dtest=ReadmeConfigTablesTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dregenerate=true";
    private static final Map<String, ConfigDef> TABLES = Map.of(
            "plugin", EmoStreamConfig.CONFIG,
            "app", EmoStreamAppConfig.OWN_CONFIG);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"plugin", "app"})
    void readmeShowsTheTableRenderedFromTheConfigDef(String name) throws IOException {
        Path readme = readme();
        String text = Files.readString(readme);
        String start = "<!-- config:" + name + " -->\n";
        String end = "<!-- /config:" + name + " -->";
        int from = text.indexOf(start);
        int to = text.indexOf(end, Math.max(from, 0));
        assertTrue(from >= 0 && to >= 0, () -> readme + " lacks the section " + start.trim() + " ... " + end
                + "; add both markers, then run: " + REGENERATE);
        String expected = "\n" + ConfigTables.markdown(TABLES.get(name)) + "\n";
        String actual = text.substring(from + start.length(), to);
        if (Boolean.getBoolean("regenerate")) {
            Files.writeString(readme, text.substring(0, from + start.length()) + expected + text.substring(to));
            return;
        }
        assertEquals(expected, actual, () -> "the " + name + " configuration table in " + readme + " differs from "
                + "its ConfigDef; regenerate it with: " + REGENERATE);
    }

    /** The README at the repository root, above this module's folder (the tests' working directory). */
    private static Path readme() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("topology/pom.xml"))) return dir.resolve("README.md");
        }
        throw new IllegalStateException("no repository root (a folder holding topology/pom.xml) above "
                + Path.of("").toAbsolutePath());
    }
}
