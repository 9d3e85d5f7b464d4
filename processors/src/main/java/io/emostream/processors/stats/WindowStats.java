package io.emostream.processors.stats;

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

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The running totals of one camera over one window, from which {@link CameraStats} is computed. Sums rather than
 * means are kept so that frames can be added one at a time. Mutable: the window aggregation updates the copy it has
 * just read from the store and writes it back.
 */
public final class WindowStats {
    private static final byte FORMAT_VERSION = 1;

    private long frames;
    private final SortedMap<Integer, ClassTally> classes = new TreeMap<>();
    private final SortedMap<String, LineTally> lines = new TreeMap<>();
    private final SortedMap<String, ZoneTally> zones = new TreeMap<>();
    private long segmentedFrames;
    private final SortedMap<Integer, ShareTally> shares = new TreeMap<>();

    /** Counts one frame: its objects per class, its tracks, crossings and zone states. */
    public WindowStats add(FrameAnalytics frame) {
        frames++;
        Map<Integer, Integer> perClass = new HashMap<>();
        for (TrackRef object : frame.getObjects()) {
            perClass.merge(object.getClassId(), 1, Integer::sum);
            ClassTally tally = classes.computeIfAbsent(object.getClassId(), id -> new ClassTally());
            tally.label = object.getLabel();
            tally.trackIds.add(object.getTrackId());
        }
        perClass.forEach((classId, count) -> {
            ClassTally tally = classes.get(classId);
            tally.objectSum += count;
            tally.maxPerFrame = Math.max(tally.maxPerFrame, count);
        });
        for (LineCrossing crossing : frame.getCrossings()) {
            LineTally tally = lines.computeIfAbsent(crossing.getLineId(), id -> new LineTally());
            if (crossing.getDirection() == CrossingDirection.IN) tally.in++;
            else tally.out++;
        }
        for (ZoneState zone : frame.getZones()) {
            ZoneTally tally = zones.computeIfAbsent(zone.getZoneId(), id -> new ZoneTally());
            tally.frames++;
            tally.objectSum += zone.getObjects();
            tally.maxObjects = Math.max(tally.maxObjects, zone.getObjects());
            for (ZoneExit exit : zone.getExits()) {
                tally.exits++;
                tally.dwellSumMs += exit.getDwellMs();
            }
        }
        return this;
    }

    /** Adds one frame's segmentation class shares; their means are over the frames that had segmentation. */
    public WindowStats add(FrameOccupancy occupancy) {
        segmentedFrames++;
        for (ClassFraction share : occupancy.getClassFractions()) {
            ShareTally tally = shares.computeIfAbsent(share.getClassId(), id -> new ShareTally());
            tally.label = share.getLabel();
            tally.fractionSum += share.getFraction();
        }
        return this;
    }

    /**
     * The window's statistics. Means per frame count a frame without objects of a class as zero; zone means are over
     * the frames that reported the zone (a zone added mid-window counts from then on).
     */
    public CameraStats toCameraStats(String cameraId, Instant windowStart, Instant windowEnd, boolean isFinal) {
        CameraStats.Builder stats = CameraStats.newBuilder()
                .setCameraId(cameraId).setWindowStart(windowStart).setWindowEnd(windowEnd).setFinal$(isFinal)
                .setFrames(frames);
        stats.setClasses(classes.entrySet().stream().map(e -> ClassStats.newBuilder()
                .setClassId(e.getKey()).setLabel(e.getValue().label)
                .setMeanPerFrame(mean(e.getValue().objectSum, frames)).setMaxPerFrame(e.getValue().maxPerFrame)
                .setUniqueTracks(e.getValue().trackIds.size()).build()).toList());
        stats.setLines(lines.entrySet().stream().map(e -> LineStats.newBuilder()
                .setLineId(e.getKey()).setIn(e.getValue().in).setOut(e.getValue().out).build()).toList());
        stats.setZones(zones.entrySet().stream().map(e -> ZoneStats.newBuilder()
                .setZoneId(e.getKey()).setMeanObjects(mean(e.getValue().objectSum, e.getValue().frames))
                .setMaxObjects(e.getValue().maxObjects).setExits(e.getValue().exits)
                .setMeanDwellMs(mean(e.getValue().dwellSumMs, e.getValue().exits)).build()).toList());
        stats.setSegmentation(shares.entrySet().stream().map(e -> ClassShareStats.newBuilder()
                .setClassId(e.getKey()).setLabel(e.getValue().label)
                .setMeanFraction(e.getValue().fractionSum / segmentedFrames).build()).toList());
        return stats.build();
    }

    private static double mean(double sum, long count) {
        return count == 0 ? 0 : sum / count;
    }

    static void writeTo(WindowStats stats, DataOutput out) throws IOException {
        out.writeByte(FORMAT_VERSION);
        out.writeLong(stats.frames);
        writeEntries(out, stats.classes, out::writeInt, tally -> {
            out.writeUTF(tally.label);
            out.writeLong(tally.objectSum);
            out.writeInt(tally.maxPerFrame);
            out.writeInt(tally.trackIds.size());
            for (long id : tally.trackIds) out.writeLong(id);
        });
        writeEntries(out, stats.lines, out::writeUTF, tally -> {
            out.writeLong(tally.in);
            out.writeLong(tally.out);
        });
        writeEntries(out, stats.zones, out::writeUTF, tally -> {
            out.writeLong(tally.frames);
            out.writeLong(tally.objectSum);
            out.writeInt(tally.maxObjects);
            out.writeLong(tally.exits);
            out.writeLong(tally.dwellSumMs);
        });
        out.writeLong(stats.segmentedFrames);
        writeEntries(out, stats.shares, out::writeInt, tally -> {
            out.writeUTF(tally.label);
            out.writeDouble(tally.fractionSum);
        });
    }

    static WindowStats readFrom(DataInput in, int length) throws IOException {
        // Every entry takes at least 4 bytes, so no count can honestly exceed a quarter of the length.
        int maxEntries = length / 4;
        byte version = in.readByte();
        if (version != FORMAT_VERSION) {
            throw new IOException("unknown window statistics format version " + version + " (expected "
                    + FORMAT_VERSION + ")");
        }
        WindowStats stats = new WindowStats();
        stats.frames = in.readLong();
        readEntries(in, maxEntries, stats.classes, in::readInt, ClassTally::new, tally -> {
            tally.label = in.readUTF();
            tally.objectSum = in.readLong();
            tally.maxPerFrame = in.readInt();
            for (int t = count(in, maxEntries); t > 0; t--) tally.trackIds.add(in.readLong());
        });
        readEntries(in, maxEntries, stats.lines, in::readUTF, LineTally::new, tally -> {
            tally.in = in.readLong();
            tally.out = in.readLong();
        });
        readEntries(in, maxEntries, stats.zones, in::readUTF, ZoneTally::new, tally -> {
            tally.frames = in.readLong();
            tally.objectSum = in.readLong();
            tally.maxObjects = in.readInt();
            tally.exits = in.readLong();
            tally.dwellSumMs = in.readLong();
        });
        stats.segmentedFrames = in.readLong();
        readEntries(in, maxEntries, stats.shares, in::readInt, ShareTally::new, tally -> {
            tally.label = in.readUTF();
            tally.fractionSum = in.readDouble();
        });
        return stats;
    }

    /** Writes or reads one key or tally. */
    @FunctionalInterface
    private interface Part<T> {
        void accept(T value) throws IOException;
    }

    /** Reads one key. */
    @FunctionalInterface
    private interface Key<K> {
        K read() throws IOException;
    }

    /** A map as its size, then each key followed by its tally. */
    private static <K, V> void writeEntries(DataOutput out, Map<K, V> map, Part<K> key, Part<V> tally)
            throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<K, V> e : map.entrySet()) {
            key.accept(e.getKey());
            tally.accept(e.getValue());
        }
    }

    private static <K, V> void readEntries(DataInput in, int maxEntries, Map<K, V> into, Key<K> key,
                                           Supplier<V> empty, Part<V> tally) throws IOException {
        for (int i = count(in, maxEntries); i > 0; i--) {
            K k = key.read();
            V v = empty.get();
            tally.accept(v);
            into.put(k, v);
        }
    }

    /** A count read from the bytes, trusted only up to what the bytes can hold. */
    private static int count(DataInput in, int maxEntries) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > maxEntries) throw new IOException("entry count " + n + " out of range 0.." + maxEntries);
        return n;
    }

    private static final class ClassTally {
        String label;
        long objectSum;
        int maxPerFrame;
        final Set<Long> trackIds = new TreeSet<>();
    }

    private static final class LineTally {
        long in;
        long out;
    }

    private static final class ZoneTally {
        long frames;
        long objectSum;
        int maxObjects;
        long exits;
        long dwellSumMs;
    }

    private static final class ShareTally {
        String label;
        double fractionSum;
    }
}
