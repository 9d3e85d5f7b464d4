package io.emostream.cli;

import picocli.CommandLine.Option;

import java.util.HashMap;
import java.util.Map;

/**
 * {@code -s KEY=VALUE}: emostream and Kafka Streams settings given on the command line. A command words its help in
 * {@code options.properties} under {@code emostream.<command>.set} when the default does not fit.
 */
final class SettingsOption {
    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE", descriptionKey = "set",
            description = "Any setting, overriding the file and the environment; repeatable.")
    Map<String, String> settings = new HashMap<>();
}
