package io.emostream.cli.demo;

import io.emostream.processors.FailureStage;
import io.emostream.schemas.CameraStats;
import io.emostream.schemas.ClassShareStats;
import io.emostream.schemas.ClassStats;
import io.emostream.schemas.CrossingDirection;
import io.emostream.schemas.DeadLetter;
import io.emostream.schemas.FrameAnalytics;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameSegmentation;
import io.emostream.schemas.FrameTracks;
import io.emostream.schemas.ModelInfo;
import io.emostream.schemas.VideoFrame;
import io.emostream.schemas.ZoneOccupancy;
import io.emostream.schemas.ZoneStats;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import static io.emostream.cli.demo.AnalyticsRecords.analytics;
import static io.emostream.cli.demo.AnalyticsRecords.car;
import static io.emostream.cli.demo.AnalyticsRecords.crossing;
import static io.emostream.cli.demo.AnalyticsRecords.occupancy;
import static io.emostream.cli.demo.AnalyticsRecords.person;
import static io.emostream.cli.demo.AnalyticsRecords.share;
import static io.emostream.cli.demo.AnalyticsRecords.window;
import static io.emostream.cli.demo.AnalyticsRecords.zone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo's accounting of input frames and its sums of their analytics, fed as a ResultReader would feed it. */
class ResultTallyTest {
    private final ResultTally tally = new ResultTally(true, true, false);
    private final ResultTally withAnalytics = new ResultTally(true, true, true);

    @Test
    void aFrameIsLostUntilAModelAnswersAndCompleteOnlyWhenBothHave() {
        tally.frame(0, 7, frame("cam", 3));
        assertEquals(1, tally.lost());
        assertFalse(tally.complete());

        tally.detections(detections("cam", 3), 0);
        assertEquals(0, tally.lost());
        assertFalse(tally.complete(), "segmentation has not answered yet");

        tally.segmentation(segmentation("cam", 3), 0);
        assertTrue(tally.complete());
        assertEquals(1, tally.cameras().get("cam").detections);
        assertEquals(1, tally.cameras().get("cam").segmentations);
    }

    @Test
    void aDeadLetterOfOneModelAnswersThatModelOnly() {
        tally.frame(1, 4, frame("cam", 0));
        tally.deadLetter(deadLetter(1, 4, FailureStage.DETECT));
        assertEquals(0, tally.lost());
        assertFalse(tally.complete(), "segmentation still owes an answer");

        tally.segmentation(segmentation("cam", 0), 0);
        assertTrue(tally.complete());
        assertEquals(1, tally.deadLetters());
        assertEquals(1, tally.cameras().get("cam").deadLetters, "the dead letter is counted for its frame's camera");
    }

    @Test
    void anUnreadableFrameIsAnsweredOnlyByTheDeadLetterAtItsOffset() {
        tally.unreadableFrame(2, 9);
        tally.deadLetter(deadLetter(2, 8, FailureStage.DESERIALIZE));
        assertEquals(1, tally.frames());
        assertEquals(1, tally.lost(), "a dead letter for another offset does not answer it");

        tally.deadLetter(deadLetter(2, 9, FailureStage.DESERIALIZE));
        assertEquals(0, tally.lost());
        assertTrue(tally.complete());
    }

    @Test
    void withAnalyticsAFrameIsCompleteOnlyOnceItsTracksFrameAnalyticsAndOccupancyHaveArrived() {
        withAnalytics.frame(0, 0, frame("cam", 0));
        withAnalytics.detections(detections("cam", 0), 0);
        withAnalytics.segmentation(segmentation("cam", 0), 0);
        assertFalse(withAnalytics.complete(), "the analytics of both results are owed");

        withAnalytics.tracks(tracks("cam", 0));
        withAnalytics.frameAnalytics(analytics("cam", 0, List.of(), List.of(), List.of()));
        assertFalse(withAnalytics.complete(), "the occupancy is still owed");

        withAnalytics.occupancy(occupancy("cam", 0, List.of(), List.of()));
        assertTrue(withAnalytics.complete());
        assertEquals(0, withAnalytics.lost());
    }

    @Test
    void theDeadLetterOfTheZoneAnalyticsStandsInForTheFrameAnalyticsItRejected() {
        withAnalytics.frame(1, 3, frame("cam", 0));
        withAnalytics.detections(detections("cam", 0), 0);
        withAnalytics.segmentation(segmentation("cam", 0), 0);
        withAnalytics.tracks(tracks("cam", 0));
        withAnalytics.occupancy(occupancy("cam", 0, List.of(), List.of()));
        assertFalse(withAnalytics.complete());

        withAnalytics.deadLetter(deadLetter(1, 3, FailureStage.ZONES));
        assertTrue(withAnalytics.complete());
        assertEquals(1, withAnalytics.deadLetters());
        assertEquals(1, withAnalytics.cameras().get("cam").deadLetters);
    }

    @Test
    void aFrameWhoseDetectionFailedOwesNoTracksButItsSegmentationOwesOccupancy() {
        withAnalytics.frame(0, 2, frame("cam", 0));
        withAnalytics.deadLetter(deadLetter(0, 2, FailureStage.DETECT));
        withAnalytics.segmentation(segmentation("cam", 0), 0);
        assertFalse(withAnalytics.complete(), "the segmentation's occupancy is owed");

        withAnalytics.occupancy(occupancy("cam", 0, List.of(), List.of()));
        assertTrue(withAnalytics.complete());
    }

    @Test
    void aCameraConfigDeadLetterAnswersNoFrameAndCountsForTheCameraItsKeyNames() {
        withAnalytics.frame(0, 5, frame("cam", 0));
        DeadLetter config = deadLetter(0, 5, FailureStage.CAMERA_CONFIG);
        config.setKey(ByteBuffer.wrap("lobby".getBytes(StandardCharsets.UTF_8)));
        withAnalytics.deadLetter(config);

        assertEquals(1, withAnalytics.lost(), "offset 5 of camera-config is not offset 5 of the frames");
        assertEquals(1, withAnalytics.cameras().get("lobby").deadLetters);
        assertEquals(0, withAnalytics.cameras().get("cam").deadLetters);
    }

    @Test
    void analyticsAreSummedOverTheRunAndARepeatedRecordCountsOnce() {
        withAnalytics.frame(0, 0, frame("cam", 0));
        withAnalytics.frame(0, 1, frame("cam", 1));
        FrameAnalytics second = analytics("cam", 1, List.of(person(1)),
                List.of(crossing("gate", 1, CrossingDirection.OUT)), List.of(zone("door", 0, 400)));
        withAnalytics.frameAnalytics(analytics("cam", 0, List.of(person(1), car(2)),
                List.of(crossing("gate", 1, CrossingDirection.IN)), List.of(zone("door", 1, 0))));
        withAnalytics.frameAnalytics(second);
        withAnalytics.frameAnalytics(second);
        withAnalytics.occupancy(occupancy("cam", 0, List.of(share(1, "road", 0.6), share(3, "sky", 0.4)),
                List.of(new ZoneOccupancy("door", List.of(share(1, "road", 1.0))))));
        withAnalytics.occupancy(occupancy("cam", 1, List.of(share(1, "road", 0.2), share(3, "sky", 0.8)),
                List.of(new ZoneOccupancy("door", List.of(share(1, "road", 0.5), share(2, "car", 0.5))))));
        withAnalytics.cameraStats(window("cam", 0, false));
        withAnalytics.cameraStats(window("cam", 0, true));
        withAnalytics.cameraStats(window("cam", 1, false));

        ResultTally.CameraCounts counts = withAnalytics.cameras().get("cam");
        CameraStats run = counts.analytics("cam");
        assertEquals(2, run.getFrames(), "the repeated frame counts once");
        assertEquals(List.of("person 1 track, 1.0 per frame", "car 1 track, 0.5 per frame"),
                run.getClasses().stream().map(ResultTallyTest::describe).toList());
        assertEquals(1, run.getLines().get(0).getIn());
        assertEquals(1, run.getLines().get(0).getOut());
        ZoneStats door = run.getZones().get(0);
        assertEquals(0.5, door.getMeanObjects());
        assertEquals(1, door.getMaxObjects());
        assertEquals(1, door.getExits());
        assertEquals(400.0, door.getMeanDwellMs());
        assertEquals(List.of("sky 0.60", "road 0.40"), describe(run.getSegmentation()));
        assertEquals(List.of("road 0.75", "car 0.25"), describe(counts.zoneSegmentation().get("door")));
        assertEquals(2, counts.statsWindows());
        assertEquals(1, counts.closedStatsWindows());
    }

    private static String describe(ClassStats c) {
        return String.format(Locale.ROOT, "%s %d track, %.1f per frame", c.getLabel(), c.getUniqueTracks(),
                c.getMeanPerFrame());
    }

    private static List<String> describe(List<ClassShareStats> shares) {
        return shares.stream().map(s -> String.format(Locale.ROOT, "%s %.2f", s.getLabel(),
                s.getMeanFraction())).toList();
    }

    private static VideoFrame frame(String camera, long sequence) {
        VideoFrame f = new VideoFrame();
        f.setCameraId(camera);
        f.setSequence(sequence);
        f.setCaptureTimestamp(AnalyticsRecords.T0.plusMillis(100 * sequence));
        return f;
    }

    private static FrameDetections detections(String camera, long sequence) {
        FrameDetections d = result(new FrameDetections(), camera, sequence);
        d.setDetections(List.of());
        return d;
    }

    private static FrameTracks tracks(String camera, long sequence) {
        return FrameTracks.newBuilder().setCameraId(camera).setSequence(sequence)
                .setCaptureTimestamp(AnalyticsRecords.T0).setFrameWidth(320).setFrameHeight(240)
                .setModel(new ModelInfo("fixture", "0", false, "cpu")).setTracks(List.of())
                .build();
    }

    private static FrameSegmentation segmentation(String camera, long sequence) {
        return result(new FrameSegmentation(), camera, sequence);
    }

    /** A result record with only the fields the tally reads. */
    private static <T extends SpecificRecordBase> T result(T record, String camera, long sequence) {
        record.put("cameraId", camera);
        record.put("sequence", sequence);
        record.put("inferenceTimestamp", Instant.EPOCH);
        return record;
    }

    private static DeadLetter deadLetter(int partition, long offset, FailureStage stage) {
        DeadLetter l = new DeadLetter();
        l.setPartition(partition);
        l.setOffset(offset);
        l.setStage(stage.id());
        return l;
    }
}
