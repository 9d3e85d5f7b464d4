package io.emostream.topology.view;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emostream.schemas.CameraConfig;
import io.emostream.schemas.ClassFraction;
import io.emostream.schemas.Detection;
import io.emostream.schemas.FrameSegmentation;
import io.emostream.schemas.LineConfig;
import io.emostream.schemas.ModelInfo;
import io.emostream.schemas.PixelBox;
import io.emostream.schemas.Point;
import io.emostream.schemas.TrackedObject;
import io.emostream.schemas.VideoFrame;
import io.emostream.schemas.ZoneConfig;
import io.emostream.schemas.ZoneState;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * One live update as a Server-Sent Event: the frame as a data URL and everything drawn on it, in frame pixels
 * (boxes) or fractions of the frame (zones, lines), the mask as its runs, and the counts.
 */
final class UpdateJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private UpdateJson() { }

    /** @param geometry the camera's zones and lines, or null when it has none */
    static byte[] event(PendingFrame p, CameraConfig geometry, Map<String, long[]> crossings) {
        VideoFrame frame = p.frame;
        ObjectNode u = JSON.createObjectNode();
        u.put("cameraId", frame.getCameraId());
        u.put("sequence", frame.getSequence());
        u.put("captureTime", frame.getCaptureTimestamp().toString());
        u.put("width", frame.getWidth());
        u.put("height", frame.getHeight());
        u.put("image", dataUrl(frame));
        ArrayNode models = u.putArray("models");
        Map<String, Integer> counts = new TreeMap<>();
        ArrayNode boxes = u.putArray("boxes");
        if (p.tracks != null) {
            model(models, "detection", p.tracks.getModel());
            for (TrackedObject t : p.tracks.getTracks()) {
                box(boxes, t.getClassId(), t.getLabel(), t.getScore(), t.getBox()).put("trackId", t.getTrackId());
                counts.merge(t.getLabel(), 1, Integer::sum);
            }
        } else if (p.detections != null) {
            model(models, "detection", p.detections.getModel());
            for (Detection d : p.detections.getDetections()) {
                box(boxes, d.getClassId(), d.getLabel(), d.getScore(), d.getBox());
                counts.merge(d.getLabel(), 1, Integer::sum);
            }
        }
        u.putPOJO("counts", counts);
        if (p.segmentation != null) {
            model(models, "segmentation", p.segmentation.getModel());
            mask(u.putObject("mask"), p.segmentation);
        }
        zonesAndLines(u, p, geometry, crossings);
        try {
            String data = JSON.writeValueAsString(u);
            return ("event: update\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a live update as JSON: " + e.getMessage(), e);
        }
    }

    private static void model(ArrayNode models, String task, ModelInfo info) {
        models.addObject().put("task", task).put("name", info.getName()).put("trained", info.getTrained());
    }

    private static ObjectNode box(ArrayNode boxes, int classId, String label, float score, PixelBox b) {
        return boxes.addObject().put("classId", classId).put("label", label).put("score", score)
                .put("x1", b.getX1()).put("y1", b.getY1()).put("x2", b.getX2()).put("y2", b.getY2());
    }

    private static void mask(ObjectNode mask, FrameSegmentation s) {
        mask.put("width", s.getMaskWidth()).put("height", s.getMaskHeight());
        mask.putPOJO("classIds", s.getMask().getClassIds());
        mask.putPOJO("runLengths", s.getMask().getRunLengths());
        ArrayNode classes = mask.putArray("classes");
        for (ClassFraction c : s.getClassFractions()) {
            classes.addObject().put("classId", c.getClassId()).put("label", c.getLabel())
                    .put("fraction", c.getFraction());
        }
    }

    private static void zonesAndLines(ObjectNode u, PendingFrame p, CameraConfig geometry,
                                      Map<String, long[]> crossings) {
        Map<String, Integer> inside = new TreeMap<>();
        if (p.analytics != null) {
            for (ZoneState z : p.analytics.getZones()) inside.put(z.getZoneId(), z.getObjects());
        }
        ArrayNode zones = u.putArray("zones");
        ArrayNode lines = u.putArray("lines");
        if (geometry == null) return;
        for (ZoneConfig z : geometry.getZones()) {
            ObjectNode zone = zones.addObject().put("id", z.getId()).put("objects", inside.getOrDefault(z.getId(), 0));
            ArrayNode points = zone.putArray("points");
            z.getPoints().forEach(pt -> point(points, pt));
        }
        for (LineConfig l : geometry.getLines()) {
            long[] inOut = crossings.getOrDefault(l.getId(), new long[2]);
            ObjectNode line = lines.addObject().put("id", l.getId()).put("in", inOut[0]).put("out", inOut[1]);
            point(line.putArray("a"), l.getA());
            point(line.putArray("b"), l.getB());
        }
    }

    private static void point(ArrayNode into, Point p) {
        into.addArray().add(p.getX()).add(p.getY());
    }

    private static String dataUrl(VideoFrame frame) {
        byte[] bytes = bytes(frame.getImage());
        return switch (frame.getEncoding()) {
            case JPEG -> "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(bytes);
            case PNG -> "data:image/png;base64," + Base64.getEncoder().encodeToString(bytes);
            case RAW_BGR24 -> "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(
                    jpeg(bytes, frame.getWidth(), frame.getHeight()));
        };
    }

    /** A raw frame for the browser; TYPE_3BYTE_BGR stores its pixels in the raw layout, B, G, R. */
    private static byte[] jpeg(byte[] bgr, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        System.arraycopy(bgr, 0, pixels, 0, Math.min(bgr.length, pixels.length));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "jpeg", out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a raw frame as JPEG", e);
        }
        return out.toByteArray();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return copy;
    }
}
