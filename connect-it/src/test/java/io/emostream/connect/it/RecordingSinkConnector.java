package io.emostream.connect.it;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A sink that keeps every record its task is given, converted as the worker converts them, for the test in this
 * JVM to read: {@code recording(name)}, where {@code name} is the connector's {@value #RECORDING} setting.
 */
public final class RecordingSinkConnector extends SinkConnector {
    static final String RECORDING = "recording";
    private static final ConfigDef CONFIG = new ConfigDef().define(RECORDING, ConfigDef.Type.STRING,
            ConfigDef.Importance.HIGH, "Name under which the test reads the records.");
    private static final Map<String, BlockingQueue<SinkRecord>> RECORDINGS = new ConcurrentHashMap<>();

    private Map<String, String> props;

    /** The records delivered so far to the connectors recording under {@code name}. */
    static BlockingQueue<SinkRecord> recording(String name) {
        return RECORDINGS.computeIfAbsent(name, n -> new LinkedBlockingQueue<>());
    }

    @Override
    public void start(Map<String, String> props) {
        this.props = props;
    }

    @Override
    public Class<? extends Task> taskClass() {
        return RecordingTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(props);
    }

    @Override
    public void stop() {
        // the recordings outlive the connector: the test reads them after
    }

    @Override
    public ConfigDef config() {
        return CONFIG;
    }

    @Override
    public String version() {
        return "test";
    }

    /** Adds every record it is given to its connector's recording. */
    public static final class RecordingTask extends SinkTask {
        private BlockingQueue<SinkRecord> recording;

        @Override
        public void start(Map<String, String> props) {
            recording = recording(props.get(RECORDING));
        }

        @Override
        public void put(Collection<SinkRecord> records) {
            recording.addAll(records);
        }

        @Override
        public void stop() {
            // nothing held
        }

        @Override
        public String version() {
            return "test";
        }
    }
}
