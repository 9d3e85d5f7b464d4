package io.emostream.topology;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;

import java.util.Locale;

/**
 * Renders a {@link ConfigDef} as a Markdown table (key, type, default, valid values, description), so the README's
 * configuration tables come from the definitions themselves rather than being copied by hand.
 */
public final class ConfigTables {
    private static final String HEADER = "| key | type | default | valid values | description |\n"
            + "|---|---|---|---|---|\n";

    private ConfigTables() { }

    /** One row per key, in the order the keys were defined. */
    public static String markdown(ConfigDef config) {
        StringBuilder table = new StringBuilder(HEADER);
        for (ConfigKey key : config.configKeys().values()) {
            table.append("| `").append(key.name).append("` | ")
                    .append(key.type.name().toLowerCase(Locale.ROOT)).append(" | ")
                    .append(defaultOf(key)).append(" | ")
                    .append(key.validator == null ? "" : cell(key.validator.toString())).append(" | ")
                    .append(cell(key.documentation)).append(" |\n");
        }
        return table.toString();
    }

    private static String defaultOf(ConfigKey key) {
        if (!key.hasDefault()) return "required";
        if (key.defaultValue == null) return "";
        String value = ConfigDef.convertToString(key.defaultValue, key.type);
        return "`" + (value.isEmpty() ? "\"\"" : cell(value)) + "`";
    }

    /** Text as one Markdown table cell: a '|' would end the cell, a line break the row. */
    private static String cell(String text) {
        return text.replace("|", "\\|").replace('\n', ' ');
    }
}
