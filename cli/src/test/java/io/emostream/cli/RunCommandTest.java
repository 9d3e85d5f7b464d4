package io.emostream.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunCommandTest {
    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void withoutAClusterItExitsWithAUsageError() {
        assertEquals(Main.EXIT_USAGE, run("run"));
        assertTrue(err.toString().contains("--bootstrap-servers"), err::toString);
    }

    @Test
    void missingConfigFileIsAUsageError() {
        assertEquals(Main.EXIT_USAGE, run("run", "--config", dir.resolve("missing.properties").toString(),
                "--bootstrap-servers", "127.0.0.1:1"));
        assertTrue(err.toString().contains("missing.properties"), err::toString);
    }

    @Test
    void invalidSettingIsAUsageErrorNamingTheKey() {
        assertEquals(Main.EXIT_USAGE, run("run", "--bootstrap-servers", "127.0.0.1:1", "--set",
                "batch.max.size=0"));
        assertTrue(err.toString().contains("batch.max.size"), err::toString);
    }

    @Test
    void servingTheQueryApiOnAllInterfacesWithoutATokenIsAUsageErrorNamingTheTokenSetting() {
        assertEquals(Main.EXIT_USAGE, run("run", "--bootstrap-servers", "127.0.0.1:1", "--http-port", "18089",
                "-s", "http.bind.address=0.0.0.0"));
        assertTrue(err.toString().contains("http.auth.token"), err::toString);
    }

    @Test
    void missingModelFailsAtStartWithAMessageNamingTheSetting() {
        assertEquals(Main.EXIT_USAGE, run("run", "--bootstrap-servers", "127.0.0.1:1", "--set",
                "detection.model=" + dir.resolve("absent.onnx")));
        assertTrue(err.toString().contains("detection.model"), err::toString);
        assertTrue(err.toString().contains("absent.onnx"), err::toString);
    }

    @Test
    void turningBothModelsOffIsAUsageError() {
        assertEquals(Main.EXIT_USAGE, run("run", "--bootstrap-servers", "127.0.0.1:1", "-s", "detection.enabled=false",
                "-s", "segmentation.enabled=false"));
        assertTrue(err.toString().contains("nothing to do"), err::toString);
    }
}
