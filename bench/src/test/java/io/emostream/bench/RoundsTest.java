package io.emostream.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RoundsTest {
    private record Row(String name, double fps) { }

    @Test
    void aConfigurationIsReportedByItsMedianRoundAndTheFastestByThatMedian() {
        Rounds<Integer, Row> rounds = new Rounds<>(Row::fps);
        rounds.add(1, new Row("1a", 10));
        rounds.add(1, new Row("1b", 30));
        rounds.add(1, new Row("1c", 20));
        rounds.add(2, new Row("2a", 100)); // one lucky round does not make it the fastest
        rounds.add(2, new Row("2b", 5));
        rounds.add(2, new Row("2c", 6));

        assertEquals("1c", rounds.median(1).name());
        assertEquals("2c", rounds.median(2).name());
        assertEquals(List.of("1c", "2c"), rounds.medians().stream().map(Row::name).toList());
        assertEquals(1, rounds.fastest());
        assertEquals(List.of("1a", "1b", "1c"), rounds.rounds(1).stream().map(Row::name).toList(),
                "rounds stay in measuring order, so ratios pair rows of the same round");
    }

    @Test
    void configurationsAndTheirFramesPerSecondComeInMeasuringOrder() {
        Rounds<String, Row> rounds = new Rounds<>(Row::fps);
        rounds.add("with", new Row("w1", 8));
        rounds.add("without", new Row("o1", 10));
        rounds.add("with", new Row("w2", 9));
        rounds.add("without", new Row("o2", 12));
        assertEquals(List.of("with", "without"), rounds.configs());
        assertEquals(List.of(8.0, 9.0), rounds.byRound("with", Row::fps));
        assertEquals(List.of(10.0, 12.0), rounds.byRound("without", Row::fps));
        assertEquals(List.of(), rounds.byRound("never measured", Row::fps));
    }

    @Test
    void anEvenNumberOfRoundsReportsTheLowerMiddle() {
        Rounds<Integer, Row> rounds = new Rounds<>(Row::fps);
        rounds.add(1, new Row("fast", 40));
        rounds.add(1, new Row("slow", 10));
        assertEquals("slow", rounds.median(1).name());
    }
}
