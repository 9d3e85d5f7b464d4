package io.emostream.cli.embedded;

/**
 * Whether the embedded broker can start in this process. The production image leaves the broker's jars out
 * (deploy/stage-lib.sh), so the demo and a bench without a cluster must say so instead of dying on a missing class.
 * Touches no broker class itself.
 */
public final class BrokerJars {
    private static final String SERVER_CLASS = "kafka.server.KafkaRaftServer";

    private BrokerJars() { }

    /** @throws IllegalStateException naming what to do when the broker's jars are absent */
    public static void require(String what) {
        try {
            Class.forName(SERVER_CLASS, false, BrokerJars.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException(what + " needs the embedded Kafka broker, whose jars this installation leaves out "
                    + "(the production image carries only run and ingest): use bin/emostream from a source checkout, "
                    + "or point at a cluster with --bootstrap-servers where the command has it");
        }
    }
}
