package io.emostream.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SIGTERM and SIGINT (Ctrl-C) as a request to stop, handled by the command itself. The JVM's own handling would run
 * the shutdown hooks and then exit with 128 + 15 = 143 whatever they did, so an orchestrator could not tell a clean
 * stop from a crash; with this the command closes in order and exits with its own code. A second signal while
 * stopping exits at once (exit code 1), for an operator who will not wait.
 */
final class StopSignals {
    private static final Logger log = LoggerFactory.getLogger(StopSignals.class);

    private StopSignals() { }

    /** Runs {@code stop} on the first SIGTERM or SIGINT, on the JVM's signal thread. */
    static void onStop(Runnable stop) {
        AtomicBoolean stopping = new AtomicBoolean();
        SignalHandler handler = signal -> {
            if (stopping.compareAndSet(false, true)) {
                log.info("SIG{} received: stopping", signal.getName());
                stop.run();
            } else {
                log.warn("SIG{} received while stopping: exiting at once", signal.getName());
                Runtime.getRuntime().halt(Main.EXIT_FAILURE);
            }
        };
        Signal.handle(new Signal("TERM"), handler);
        Signal.handle(new Signal("INT"), handler);
    }
}
