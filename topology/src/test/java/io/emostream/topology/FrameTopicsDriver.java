package io.emostream.topology;

import io.emostream.schemas.DeadLetter;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameSegmentation;
import io.emostream.schemas.serde.AvroSerdes;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

import java.time.Instant;
import java.util.Properties;

/** A {@link TopologyTestDriver} with the frames topic in and the detection, segmentation and dead-letter topics out. */
record FrameTopicsDriver(TopologyTestDriver driver, TestInputTopic<byte[], byte[]> frames,
                         TestOutputTopic<String, FrameDetections> detections,
                         TestOutputTopic<String, FrameSegmentation> segmentations,
                         TestOutputTopic<String, DeadLetter> deadLetters) implements AutoCloseable {

    static FrameTopicsDriver open(Topology topology, Topics topics, String applicationId, Instant start) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        TopologyTestDriver driver = new TopologyTestDriver(topology, props, start);
        return new FrameTopicsDriver(driver,
                driver.createInputTopic(topics.frames(), new ByteArraySerializer(), new ByteArraySerializer()),
                driver.createOutputTopic(topics.detections(), new StringDeserializer(),
                        AvroSerdes.frameDetections().deserializer()),
                driver.createOutputTopic(topics.segmentations(), new StringDeserializer(),
                        AvroSerdes.frameSegmentation().deserializer()),
                driver.createOutputTopic(topics.deadLetters(), new StringDeserializer(),
                        AvroSerdes.deadLetter().deserializer()));
    }

    @Override
    public void close() {
        driver.close();
    }
}
