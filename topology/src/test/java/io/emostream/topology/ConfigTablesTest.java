package io.emostream.topology;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ConfigTablesTest {
    @Test
    void eachKeyBecomesOneRowInDefinitionOrderWithItsTypeDefaultValidValuesAndDescription() {
        ConfigDef config = new ConfigDef()
                .define("z.size", Type.INT, 8, Range.between(1, 64), Importance.HIGH, "How many.")
                .define("a.dir", Type.STRING, "", Importance.LOW, "Where; empty means the default.")
                .define("m.url", Type.STRING, Importance.HIGH, "The address.");
        assertEquals("""
                | key | type | default | valid values | description |
                |---|---|---|---|---|
                | `z.size` | int | `8` | [1,...,64] | How many. |
                | `a.dir` | string | `""` |  | Where; empty means the default. |
                | `m.url` | string | required |  | The address. |
                """, ConfigTables.markdown(config));
    }

    @Test
    void aPipeOrLineBreakInADescriptionStaysInsideItsCell() {
        ConfigDef config = new ConfigDef().define("k", Type.BOOLEAN, true, Importance.LOW, "a | b\nc");
        String row = ConfigTables.markdown(config).lines().toList().get(2);
        assertEquals("| `k` | boolean | `true` |  | a \\| b c |", row);
    }
}
