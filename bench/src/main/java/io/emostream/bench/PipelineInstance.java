package io.emostream.bench;

import io.emostream.topology.app.EmoStreamApp;
import io.emostream.topology.app.EmoStreamAppConfig;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * One more instance of a benchmark run's application, in a process of its own, as a second machine would run it:
 * {@code java -cp ... io.emostream.bench.PipelineInstance SETTINGS_FILE}. It runs until its standard input closes,
 * then closes the application and exits 0; when it cannot start it prints one line and exits 1.
 */
public final class PipelineInstance {
    private PipelineInstance() { }

    public static void main(String[] args) {
        try {
            Properties props = new Properties();
            try (Reader in = Files.newBufferedReader(Path.of(args[0]))) {
                props.load(in);
            }
            Map<String, Object> settings = new HashMap<>();
            props.stringPropertyNames().forEach(key -> settings.put(key, props.getProperty(key)));
            try (EmoStreamApp app = EmoStreamApp.create(new EmoStreamAppConfig(settings))) {
                app.start();
                while (System.in.read() != -1) {
                    // the parent closes our input to stop us
                }
            }
        } catch (IOException | RuntimeException | io.emostream.models.runtime.ModelLoadException e) {
            System.err.println("pipeline instance: " + e);
            System.exit(1);
        }
        System.exit(0);
    }
}
