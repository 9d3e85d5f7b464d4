-- Tables for the JDBC sinks in this folder (PostgreSQL). Debezium's JDBC sink would create them itself, but it
-- types Connect timestamps as "timestamp" without a time zone; these keep them as instants. Its schema evolution
-- (schema.evolution=basic) adds the columns of fields that later schema versions bring.

-- deploy/connect/objects-postgres-sink.json: one row per object of each frame (the topology's objects stream,
-- objects.enabled=true). The key <cameraId>/<sequence>/<objectIndex> makes a redelivered record overwrite its row.
CREATE TABLE IF NOT EXISTS objects (
    id               text PRIMARY KEY,
    cameraId         text NOT NULL,
    sequence         bigint NOT NULL,
    captureTimestamp timestamp with time zone NOT NULL,
    objectIndex      integer NOT NULL,
    trackId          bigint,
    classId          integer NOT NULL,
    label            text NOT NULL,
    score            double precision NOT NULL,
    x1               double precision NOT NULL,
    y1               double precision NOT NULL,
    x2               double precision NOT NULL,
    y2               double precision NOT NULL,
    modelName        text NOT NULL,
    modelTrained     boolean NOT NULL
);
CREATE INDEX IF NOT EXISTS objects_camera_capture ON objects (cameraId, captureTimestamp);

-- deploy/connect/camera-stats-postgres-sink.json: one row per camera and window (key <cameraId>@<windowStart>);
-- early updates (final = false, with camera.stats.emit.updates) are overwritten by the window's final record.
-- The per-class, per-line and per-zone lists stay in the topic (the sink's ReplaceField transform drops them).
CREATE TABLE IF NOT EXISTS camera_stats (
    id          text PRIMARY KEY,
    cameraId    text NOT NULL,
    windowStart timestamp with time zone NOT NULL,
    windowEnd   timestamp with time zone NOT NULL,
    final       boolean NOT NULL,
    frames      bigint NOT NULL
);
