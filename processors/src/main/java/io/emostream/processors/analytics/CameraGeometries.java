package io.emostream.processors.analytics;

import io.emostream.schemas.CameraConfig;

import java.util.HashMap;
import java.util.Map;

/** The checked geometry of each camera a processor sees, rebuilt only when the camera's configuration changes. */
final class CameraGeometries {
    private record Compiled(CameraConfig config, CameraGeometry geometry) { }

    private final Map<String, Compiled> byCamera = new HashMap<>();

    CameraGeometry of(String cameraId, CameraConfig config) {
        if (config == null) {
            byCamera.remove(cameraId);
            return CameraGeometry.NONE;
        }
        Compiled compiled = byCamera.get(cameraId);
        if (compiled == null || !compiled.config().equals(config)) {
            compiled = new Compiled(config, CameraGeometry.of(config));
            byCamera.put(cameraId, compiled);
        }
        return compiled.geometry();
    }
}
