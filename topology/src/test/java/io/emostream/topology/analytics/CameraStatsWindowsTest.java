package io.emostream.topology.analytics;

import io.emostream.processors.stats.WindowStats;
import io.emostream.schemas.CameraStats;
import io.emostream.schemas.ClassFraction;
import io.emostream.schemas.ClassShareStats;
import io.emostream.schemas.ClassStats;
import io.emostream.schemas.CrossingDirection;
import io.emostream.schemas.FrameAnalytics;
import io.emostream.schemas.FrameOccupancy;
import io.emostream.schemas.LineCrossing;
import io.emostream.schemas.LineStats;
import io.emostream.schemas.TrackRef;
import io.emostream.schemas.ZoneExit;
import io.emostream.schemas.ZoneState;
import io.emostream.schemas.ZoneStats;
import io.emostream.schemas.serde.AvroSerdes;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The windows on synthetic capture times, through {@link TopologyTestDriver}. */
class CameraStatsWindowsTest {
    private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");
    /** Record (ingest) time of every input: far from the capture times, which alone must decide the windows. */
    private static final Instant RECORD_TIME = T0.plus(Duration.ofHours(3));
    private static final double EPS = 1e-6;

    private TopologyTestDriver driver;
    private TestInputTopic<String, FrameAnalytics> analytics;
    private TestInputTopic<String, FrameOccupancy> occupancy;
    private TestOutputTopic<String, CameraStats> stats;

    @AfterEach
    void closeDriver() {
        if (driver != null) driver.close();
    }

    private void start(CameraStatsWindows.Settings settings) {
        StreamsBuilder builder = new StreamsBuilder();
        CameraStatsWindows.addTo(
                        builder.stream("analytics", Consumed.with(Serdes.String(), AvroSerdes.frameAnalytics())),
                        builder.stream("occupancy", Consumed.with(Serdes.String(), AvroSerdes.frameOccupancy())),
                        settings)
                .to("camera-stats", Produced.with(Serdes.String(), AvroSerdes.cameraStats()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "stats-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        driver = new TopologyTestDriver(builder.build(), props, RECORD_TIME);
        analytics = driver.createInputTopic("analytics", new StringSerializer(), AvroSerdes.frameAnalytics());
        occupancy = driver.createInputTopic("occupancy", new StringSerializer(), AvroSerdes.frameOccupancy());
        stats = driver.createOutputTopic("camera-stats", new StringDeserializer(), AvroSerdes.cameraStats());
    }

    private static CameraStatsWindows.Settings settings(boolean emitUpdates) {
        return new CameraStatsWindows.Settings(Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofMinutes(1),
                emitUpdates);
    }

    private void pipe(FrameAnalytics frame) {
        analytics.pipeInput(frame.getCameraId(), frame, RECORD_TIME);
    }

    private void pipe(FrameOccupancy frame) {
        occupancy.pipeInput(frame.getCameraId(), frame, RECORD_TIME);
    }

    @Test
    void aClosedWindowGivesExactStatisticsOfTheFramesCapturedInIt() {
        start(settings(false));
        pipe(frame("cam-1", 1, 1_000, List.of(person(1), person(2), car(3)),
                List.of(crossing("door", 1, CrossingDirection.IN)), List.of(zone("lobby", 2))));
        pipe(frame("cam-1", 2, 4_000, List.of(person(1), person(4), person(5)),
                List.of(crossing("door", 4, CrossingDirection.IN), crossing("door", 2, CrossingDirection.OUT)),
                List.of(zone("lobby", 3, exit(2, 3_000)))));
        pipe(frame("cam-1", 3, 7_000, List.of(), List.of(), List.of(zone("lobby", 0, exit(1, 6_000), exit(4, 3_000)))));
        pipe(occupancy("cam-1", 1, 1_000, share(0, "road", 0.5f), share(2, "sky", 0.25f)));
        pipe(occupancy("cam-1", 2, 4_000, share(0, "road", 0.7f)));
        assertTrue(stats.isEmpty(), "nothing before the window closes");

        pipe(frame("cam-1", 4, 12_500, List.of(person(5)), List.of(), List.of(zone("lobby", 1))));

        List<KeyValue<String, CameraStats>> out = stats.readKeyValuesToList();
        assertEquals(1, out.size(), "only the closed window: " + out);
        assertEquals("cam-1@2026-11-30T12:00:00Z", out.get(0).key);
        CameraStats s = out.get(0).value;
        assertEquals("cam-1", s.getCameraId());
        assertEquals(T0, s.getWindowStart());
        assertEquals(T0.plusSeconds(10), s.getWindowEnd());
        assertTrue(s.getFinal$());
        assertEquals(3, s.getFrames());

        assertEquals(2, s.getClasses().size());
        ClassStats persons = s.getClasses().get(0);
        assertEquals(1, persons.getClassId());
        assertEquals("person", persons.getLabel());
        assertEquals(5.0 / 3, persons.getMeanPerFrame(), EPS, "(2 + 3 + 0) persons over 3 frames");
        assertEquals(3, persons.getMaxPerFrame());
        assertEquals(4, persons.getUniqueTracks(), "tracks 1, 2, 4, 5");
        ClassStats cars = s.getClasses().get(1);
        assertEquals("car", cars.getLabel());
        assertEquals(1.0 / 3, cars.getMeanPerFrame(), EPS);
        assertEquals(1, cars.getMaxPerFrame());
        assertEquals(1, cars.getUniqueTracks());

        assertEquals(List.of(new LineStats("door", 2L, 1L)), s.getLines());

        assertEquals(1, s.getZones().size());
        ZoneStats lobby = s.getZones().get(0);
        assertEquals("lobby", lobby.getZoneId());
        assertEquals(5.0 / 3, lobby.getMeanObjects(), EPS);
        assertEquals(3, lobby.getMaxObjects());
        assertEquals(3, lobby.getExits());
        assertEquals(4_000, lobby.getMeanDwellMs(), EPS, "(3 + 6 + 3) s over 3 exits");

        assertEquals(2, s.getSegmentation().size());
        ClassShareStats road = s.getSegmentation().get(0);
        assertEquals("road", road.getLabel());
        assertEquals(0.6, road.getMeanFraction(), EPS, "over the 2 frames that had segmentation, not 3");
        ClassShareStats sky = s.getSegmentation().get(1);
        assertEquals(2, sky.getClassId());
        assertEquals(0.125, sky.getMeanFraction(), EPS, "absent in one of the 2 segmented frames");
    }

    @Test
    void aLateFrameWithinTheGraceCountsAndOneBeyondItIsDropped() {
        start(settings(false));
        pipe(frame("cam-1", 1, 1_000, List.of(person(1)), List.of(), List.of()));
        pipe(frame("cam-1", 2, 11_000, List.of(person(1)), List.of(), List.of()));
        pipe(frame("cam-1", 3, 9_000, List.of(person(1), person(2)), List.of(), List.of()));
        assertTrue(stats.isEmpty(), "stream time 11 s: the first window closes at 10 s + 2 s grace");

        pipe(frame("cam-1", 4, 12_500, List.of(person(1)), List.of(), List.of()));
        List<CameraStats> first = stats.readValuesToList();
        assertEquals(1, first.size());
        assertEquals(T0, first.get(0).getWindowStart());
        assertEquals(2, first.get(0).getFrames(), "the frame at 9 s arrived within the grace");
        assertEquals(2, first.get(0).getClasses().get(0).getMaxPerFrame());

        pipe(frame("cam-1", 5, 8_000, List.of(person(1), person(2), person(3)), List.of(), List.of()));
        pipe(frame("cam-1", 6, 22_500, List.of(), List.of(), List.of()));
        List<CameraStats> next = stats.readValuesToList();
        assertEquals(1, next.size(), "the closed first window is not emitted again: " + next);
        assertEquals(T0.plusSeconds(10), next.get(0).getWindowStart());
        assertEquals(2, next.get(0).getFrames(), "frames at 11 s and 12.5 s");
        assertEquals(1.0, droppedRecords(), "the frame at 8 s came after its window closed");
    }

    @Test
    void emittingUpdatesSendsEachChangeAsNotFinalAndTheClosedWindowAsFinal() {
        start(settings(true));
        pipe(frame("cam-1", 1, 1_000, List.of(person(1)), List.of(), List.of()));
        pipe(frame("cam-1", 2, 2_000, List.of(person(1)), List.of(), List.of()));
        List<CameraStats> early = stats.readValuesToList();
        assertEquals(List.of(1L, 2L), early.stream().map(CameraStats::getFrames).toList());
        assertTrue(early.stream().noneMatch(CameraStats::getFinal$));

        pipe(frame("cam-1", 3, 12_500, List.of(), List.of(), List.of()));
        List<CameraStats> later = stats.readValuesToList();
        assertEquals(2, later.size(), later.toString());
        CameraStats closed = later.stream().filter(CameraStats::getFinal$).findFirst().orElseThrow();
        assertEquals(T0, closed.getWindowStart());
        assertEquals(2, closed.getFrames());
        CameraStats update = later.stream().filter(s -> !s.getFinal$()).findFirst().orElseThrow();
        assertEquals(T0.plusSeconds(10), update.getWindowStart());
        assertEquals(1, update.getFrames());
    }

    @Test
    void camerasHaveTheirOwnWindows() {
        start(settings(false));
        pipe(frame("cam-1", 1, 1_000, List.of(person(1)), List.of(), List.of()));
        pipe(frame("cam-2", 1, 2_000, List.of(car(9)), List.of(), List.of()));
        pipe(frame("cam-2", 2, 3_000, List.of(car(9)), List.of(), List.of()));
        pipe(frame("cam-1", 2, 12_500, List.of(), List.of(), List.of()));

        Map<String, CameraStats> out = stats.readKeyValuesToMap();
        assertEquals(1, out.get("cam-1@2026-11-30T12:00:00Z").getFrames());
        assertEquals(2, out.get("cam-2@2026-11-30T12:00:00Z").getFrames());
        assertEquals("car", out.get("cam-2@2026-11-30T12:00:00Z").getClasses().get(0).getLabel());
    }

    @Test
    void windowsLeaveTheStoreOnceTheirRetentionHasPassed() {
        start(settings(false));
        pipe(frame("cam-1", 1, 1_000, List.of(person(1)), List.of(), List.of()));
        assertEquals(1, windowsStartingAt(T0));

        pipe(frame("cam-1", 2, 30_000, List.of(), List.of(), List.of()));
        assertEquals(1, windowsStartingAt(T0), "within the 1 min retention");

        pipe(frame("cam-1", 3, 75_000, List.of(), List.of(), List.of()));
        assertEquals(0, windowsStartingAt(T0), "older than the 1 min retention");
    }

    @Test
    void configurationKeysHaveTheSettingsDefaultsAndARetentionShorterThanAWindowIsRefused() {
        ConfigDef def = CameraStatsWindows.define(new ConfigDef());
        assertEquals(CameraStatsWindows.Settings.defaults(),
                CameraStatsWindows.Settings.from(new AbstractConfig(def, Map.of())));
        assertEquals("camera-stats", new AbstractConfig(def, Map.of()).getString(CameraStatsWindows.CAMERA_STATS_TOPIC));

        ConfigException e = assertThrows(ConfigException.class, () -> CameraStatsWindows.Settings.from(
                new AbstractConfig(def, Map.of(CameraStatsWindows.RETENTION_MS, "5000"))));
        assertTrue(e.getMessage().contains(CameraStatsWindows.RETENTION_MS), e.getMessage());
        assertTrue(e.getMessage().contains("12000"), "names the least it may be: " + e.getMessage());
    }

    private int windowsStartingAt(Instant start) {
        WindowStore<String, WindowStats> store = driver.getWindowStore(CameraStatsWindows.WINDOW_STORE);
        int n = 0;
        try (WindowStoreIterator<WindowStats> it = store.fetch("cam-1", start, start)) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    private double droppedRecords() {
        double dropped = 0;
        for (Map.Entry<MetricName, ? extends Metric> m : driver.metrics().entrySet()) {
            if (m.getKey().name().equals("dropped-records-total")) dropped += (Double) m.getValue().metricValue();
        }
        return dropped;
    }

    private static FrameAnalytics frame(String camera, long sequence, long captureOffsetMs, List<TrackRef> objects,
                                        List<LineCrossing> crossings, List<ZoneState> zones) {
        return FrameAnalytics.newBuilder().setCameraId(camera).setSequence(sequence)
                .setCaptureTimestamp(T0.plusMillis(captureOffsetMs)).setObjects(objects).setCrossings(crossings)
                .setZones(zones).build();
    }

    private static TrackRef person(long trackId) {
        return new TrackRef(trackId, 1, "person");
    }

    private static TrackRef car(long trackId) {
        return new TrackRef(trackId, 3, "car");
    }

    private static LineCrossing crossing(String line, long trackId, CrossingDirection direction) {
        return new LineCrossing(line, trackId, 1, direction);
    }

    private static ZoneState zone(String id, int objects, ZoneExit... exits) {
        return new ZoneState(id, objects, List.of(exits));
    }

    private static ZoneExit exit(long trackId, long dwellMs) {
        return new ZoneExit(trackId, 1, dwellMs);
    }

    private static FrameOccupancy occupancy(String camera, long sequence, long captureOffsetMs,
                                            ClassFraction... shares) {
        return FrameOccupancy.newBuilder().setCameraId(camera).setSequence(sequence)
                .setCaptureTimestamp(T0.plusMillis(captureOffsetMs)).setClassFractions(List.of(shares))
                .setZones(List.of()).build();
    }

    private static ClassFraction share(int classId, String label, float fraction) {
        return new ClassFraction(classId, label, fraction);
    }
}
