package io.emostream.processors.analytics;

import io.emostream.schemas.CrossingDirection;
import io.emostream.schemas.FrameAnalytics;
import io.emostream.schemas.FrameTracks;
import io.emostream.schemas.LineCrossing;
import io.emostream.schemas.TrackRef;
import io.emostream.schemas.TrackedObject;
import io.emostream.schemas.ZoneExit;
import io.emostream.schemas.ZoneState;
import io.emostream.schemas.state.LineSide;
import io.emostream.schemas.state.TrackMemory;
import io.emostream.schemas.state.ZoneAnalyticsState;
import io.emostream.schemas.state.ZoneStay;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one frame's tracks mean for a camera's zones and lines, given what the camera's state remembers of each
 * track: its last reference point, the side of each line it was last strictly on, and the zones it is in since
 * when. Free of Kafka; the caller stores the state between frames.
 *
 * <ul>
 *   <li>A line is crossed when a track reaches the other side of it and its path since its last point meets the
 *   segment (ends included). A track that touches the line and goes back does not cross; one that rests on the
 *   line and then goes on crosses once.</li>
 *   <li>A track enters a zone when its point is first seen inside and exits when first seen outside, or when it
 *   ends (listed in {@code endedTrackIds}) or is idle longer than the idle timeout: then its dwell runs to the last
 *   frame it was seen in.</li>
 *   <li>Ended and idle tracks are forgotten, and memories of zones and lines no longer configured are dropped, so
 *   the state stays bounded.</li>
 * </ul>
 */
public final class ZoneLineAnalyzer {
    private final ReferencePoint referencePoint;
    private final long trackIdleMs;

    /** @param trackIdleMs a track not seen for longer than this (capture time) is treated as ended */
    public ZoneLineAnalyzer(ReferencePoint referencePoint, long trackIdleMs) {
        if (trackIdleMs <= 0) throw new IllegalArgumentException("trackIdleMs must be positive, got " + trackIdleMs);
        this.referencePoint = referencePoint;
        this.trackIdleMs = trackIdleMs;
    }

    /** The frame's analytics; updates {@code state} to remember this frame. */
    public FrameAnalytics analyze(CameraGeometry geometry, FrameTracks frame, ZoneAnalyticsState state) {
        int width = frame.getFrameWidth();
        int height = frame.getFrameHeight();
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("frame " + frame.getSequence() + " of camera " + frame.getCameraId()
                    + " has no size (" + width + "x" + height + "): zones need it to place the boxes");
        }
        long now = frame.getCaptureTimestamp().toEpochMilli();
        Map<Long, TrackMemory> memories = new LinkedHashMap<>();
        for (TrackMemory m : state.getTracks()) {
            // Lists read back from the store are Avro arrays, whose iterators cannot remove.
            m.setLineSides(new ArrayList<>(m.getLineSides()));
            m.setZones(new ArrayList<>(m.getZones()));
            memories.put(m.getTrackId(), m);
        }
        FrameResult result = new FrameResult(geometry);

        for (TrackedObject object : frame.getTracks()) {
            result.objects.add(new TrackRef(object.getTrackId(), object.getClassId(), object.getLabel()));
            double x = referencePoint.x(object.getBox()) / width;
            double y = referencePoint.y(object.getBox()) / height;
            TrackMemory memory = memories.computeIfAbsent(object.getTrackId(), id -> newMemory(id, x, y));
            memory.setClassId(object.getClassId());
            crossLines(geometry, memory, x, y, result);
            visitZones(geometry, memory, x, y, now, result);
            memory.setX(x);
            memory.setY(y);
            memory.setLastSeenMs(now);
        }
        for (long ended : frame.getEndedTrackIds()) {
            TrackMemory memory = memories.remove(ended);
            if (memory != null) leaveZones(geometry, memory, result);
        }
        memories.values().removeIf(memory -> {
            boolean idle = now - memory.getLastSeenMs() > trackIdleMs;
            if (idle) leaveZones(geometry, memory, result);
            return idle;
        });
        state.setTracks(new ArrayList<>(memories.values()));
        return FrameAnalytics.newBuilder()
                .setCameraId(frame.getCameraId())
                .setSequence(frame.getSequence())
                .setCaptureTimestamp(frame.getCaptureTimestamp())
                .setObjects(result.objects)
                .setCrossings(result.crossings)
                .setZones(result.zoneStates())
                .build();
    }

    private static TrackMemory newMemory(long trackId, double x, double y) {
        return TrackMemory.newBuilder().setTrackId(trackId).setClassId(0).setX(x).setY(y).setLastSeenMs(0)
                .setLineSides(new ArrayList<>()).setZones(new ArrayList<>()).build();
    }

    private static void crossLines(CameraGeometry geometry, TrackMemory memory, double x, double y,
                                   FrameResult result) {
        memory.getLineSides().removeIf(s -> !geometry.hasLine(s.getLineId()));
        for (CameraGeometry.Line line : geometry.lines()) {
            int side = line.line().side(x, y);
            if (side == 0) continue; // on the line: the side it came from still counts
            LineSide last = find(memory.getLineSides(), line.id());
            if (last == null) {
                memory.getLineSides().add(new LineSide(line.id(), side));
                continue;
            }
            if (last.getSide() != side && line.line().crossedBy(memory.getX(), memory.getY(), x, y)) {
                result.crossings.add(new LineCrossing(line.id(), memory.getTrackId(), memory.getClassId(),
                        side > 0 ? CrossingDirection.IN : CrossingDirection.OUT));
            }
            last.setSide(side);
        }
    }

    private static void visitZones(CameraGeometry geometry, TrackMemory memory, double x, double y, long now,
                                   FrameResult result) {
        memory.getZones().removeIf(s -> !geometry.hasZone(s.getZoneId()));
        List<CameraGeometry.Zone> zones = geometry.zones();
        for (int z = 0; z < zones.size(); z++) {
            String zoneId = zones.get(z).id();
            ZoneStay stay = memory.getZones().stream().filter(s -> s.getZoneId().equals(zoneId)).findFirst()
                    .orElse(null);
            if (zones.get(z).polygon().contains(x, y)) {
                result.inside[z]++;
                if (stay == null) memory.getZones().add(new ZoneStay(zoneId, now));
            } else if (stay != null) {
                result.exits.get(z).add(new ZoneExit(memory.getTrackId(), memory.getClassId(),
                        now - stay.getSinceMs()));
                memory.getZones().remove(stay);
            }
        }
    }

    /** A track that ends inside a zone leaves it when it was last seen. */
    private static void leaveZones(CameraGeometry geometry, TrackMemory memory, FrameResult result) {
        List<CameraGeometry.Zone> zones = geometry.zones();
        for (ZoneStay stay : memory.getZones()) {
            for (int z = 0; z < zones.size(); z++) {
                if (zones.get(z).id().equals(stay.getZoneId())) {
                    result.exits.get(z).add(new ZoneExit(memory.getTrackId(), memory.getClassId(),
                            memory.getLastSeenMs() - stay.getSinceMs()));
                }
            }
        }
    }

    private static LineSide find(List<LineSide> sides, String lineId) {
        for (LineSide s : sides) {
            if (s.getLineId().equals(lineId)) return s;
        }
        return null;
    }

    /** What one frame adds up to, per configured zone in configuration order. */
    private static final class FrameResult {
        final List<TrackRef> objects = new ArrayList<>();
        final List<LineCrossing> crossings = new ArrayList<>();
        final List<CameraGeometry.Zone> zones;
        final int[] inside;
        final List<List<ZoneExit>> exits = new ArrayList<>();

        FrameResult(CameraGeometry geometry) {
            zones = geometry.zones();
            inside = new int[zones.size()];
            zones.forEach(z -> exits.add(new ArrayList<>()));
        }

        List<ZoneState> zoneStates() {
            List<ZoneState> states = new ArrayList<>(zones.size());
            for (int z = 0; z < zones.size(); z++) {
                states.add(new ZoneState(zones.get(z).id(), inside[z], exits.get(z)));
            }
            return states;
        }
    }
}
