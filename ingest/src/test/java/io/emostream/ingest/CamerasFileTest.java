package io.emostream.ingest;

import io.emostream.schemas.ImageEncoding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CamerasFileTest {
    @TempDir
    Path dir;

    @Test
    void yamlCamerasTakeFileDefaultsOverFlagsAndTheirOwnValuesOverBoth() throws IOException {
        Path file = Files.writeString(dir.resolve("cameras.yaml"), """
                defaults:
                  fps: 5
                cameras:
                  - id: gate
                    source: rtsp://10.0.0.7/stream1
                    maxSide: 640
                    options: {rtsp_transport: udp}
                    metadata: {site: north}
                  - id: lobby
                    source: /videos/lobby.mp4
                    fps: 2
                """);
        List<CameraConfig> cameras = CamerasFile.load(file, Map.of("fps", "10", "encoding", "png"));
        assertEquals(2, cameras.size());
        CameraConfig gate = cameras.get(0);
        assertEquals("gate", gate.id());
        assertEquals(5.0, gate.fps());
        assertEquals(640, gate.maxSide());
        assertEquals(ImageEncoding.PNG, gate.encoding());
        assertEquals(SourceKind.RTSP, gate.kind());
        assertEquals(Map.of("rtsp_transport", "udp"), gate.options());
        assertEquals(Map.of("site", "north"), gate.metadata());
        assertEquals(2.0, cameras.get(1).fps());
        assertEquals(SourceKind.FILE, cameras.get(1).kind());
    }

    @Test
    void propertiesFileDescribesTheSameCameras() throws IOException {
        Path file = Files.writeString(dir.resolve("cameras.properties"), """
                default.fps=5
                camera.gate.source=rtsp://10.0.0.7/stream1
                camera.gate.options.rtsp_transport=udp
                camera.dock.source=/dev/video0
                camera.dock.jpegQuality=70
                camera.dock.maxFrames=300
                """);
        List<CameraConfig> cameras = CamerasFile.load(file, Map.of());
        assertEquals(List.of("dock", "gate"), cameras.stream().map(CameraConfig::id).toList());
        assertEquals(SourceKind.DEVICE, cameras.get(0).kind());
        assertEquals(70, cameras.get(0).jpegQuality());
        assertEquals(300, cameras.get(0).maxFrames());
        assertEquals(0, cameras.get(1).maxFrames(), "no bound unless given");
        assertEquals(Map.of("rtsp_transport", "udp"), cameras.get(1).options());
        assertEquals(5.0, cameras.get(1).fps());
    }

    @Test
    void mistakesAreReportedWithWhatToFix() throws IOException {
        Path unknownKey = Files.writeString(dir.resolve("a.yaml"), "cameras:\n  - {id: a, source: x.mp4, fsp: 5}\n");
        assertTrue(assertThrows(IngestConfigException.class, () -> CamerasFile.load(unknownKey, Map.of()))
                .getMessage().contains("unknown camera setting 'fsp'"));
        Path duplicate = Files.writeString(dir.resolve("b.yaml"),
                "cameras:\n  - {id: a, source: x.mp4}\n  - {id: a, source: y.mp4}\n");
        assertTrue(assertThrows(IngestConfigException.class, () -> CamerasFile.load(duplicate, Map.of()))
                .getMessage().contains("appears twice"));
        Path badFps = Files.writeString(dir.resolve("c.yaml"), "cameras:\n  - {id: a, source: x.mp4, fps: fast}\n");
        assertTrue(assertThrows(IngestConfigException.class, () -> CamerasFile.load(badFps, Map.of()))
                .getMessage().contains("fps must be a number"));
        Path partFrames = Files.writeString(dir.resolve("d.yaml"), "cameras:\n  - {id: a, source: x.mp4, maxFrames: 2.5}\n");
        assertTrue(assertThrows(IngestConfigException.class, () -> CamerasFile.load(partFrames, Map.of()))
                .getMessage().contains("maxFrames must be a whole number, got '2.5'"));
        assertThrows(IngestConfigException.class, () -> CamerasFile.load(dir.resolve("missing.yaml"), Map.of()));
    }
}
