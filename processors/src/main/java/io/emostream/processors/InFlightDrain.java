package io.emostream.processors;

import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorNode;
import org.apache.kafka.streams.processor.internals.ProcessorRecordContext;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

import java.util.Map;
import java.util.Optional;

/**
 * Answers every frame of a task still in flight before Kafka Streams commits the task's input offsets, and before it
 * suspends the task for a rebalance, so that no committed frame is left without its results.
 *
 * <p>Kafka Streams commits an input offset once {@code process()} has returned for it and offers no public hook
 * before a commit. What it does call first is the cache flush of stores implementing its internal
 * {@link CachedStateStore}: {@code StreamTask.prepareCommit} (also on a clean or dirty close and before suspension)
 * calls {@code StreamTask.flush}, which calls {@code ProcessorStateManager.flushCache()} on every registered store, in
 * registration order, before flushing the record collector and committing. This store holds no data and is not
 * logged; its {@link #flushCache()} forwards the frames in flight. Registration follows the order in which the
 * topology's nodes were added, so this store, belonging to the inference node, is flushed before the caching stores
 * of the nodes after it, and their writes from the drained results go into the same commit. Forwarding outside
 * {@code process()} needs the node and record context set, as Kafka Streams' caching layer does
 * ({@code TimestampedCacheFlushListener}, {@code CachingKeyValueStore}).
 *
 * <p>Every use of Kafka Streams internals in emostream is in this class. Checked against Kafka Streams 4.4.0 (its
 * bytecode: {@code StreamTask.prepareCommit/flush}, {@code ProcessorStateManager.flushCache/recycle/registerStateStores},
 * {@code LegacyCheckpointingStateStore.maybeWrapStore}, which wraps persistent stores only) and its 4.0 sources;
 * recheck on every Kafka upgrade (the pipeline tests with {@code frame.inflight.max} above 1 fail when it breaks).
 */
public final class InFlightDrain implements StateStore, CachedStateStore<Void, Void> {
    /** What the drain forwards or drops: a task's frames in flight. */
    interface Pending {
        /** Waits for every frame in flight and forwards its results, oldest first. */
        void forwardAll();

        /** Gives the frames in flight up unanswered, saying so. */
        void dropAll(String why);
    }

    private final String name;
    private Pending pending;
    private InternalProcessorContext<?, ?> internal; // null under a test's mock context, which records forwards itself
    private ProcessorNode<?, ?, ?, ?> node;
    private boolean open;

    InFlightDrain(String name) {
        this.name = name;
    }

    /** A builder of the drain store {@code name}, for the inference processor's supplier. */
    public static StoreBuilder<InFlightDrain> builder(String name) {
        return new Builder(name);
    }

    /**
     * Ties the drain to the processor's frames; called from the processor's {@code init}, while Kafka Streams has
     * its node as the current one.
     */
    void attach(ProcessorContext<?, ?> context, Pending frames) {
        this.pending = frames;
        if (context instanceof InternalProcessorContext<?, ?> ctx) {
            internal = ctx;
            node = ctx.currentNode();
        }
    }

    /** Runs {@code forward} as the processor's node, in the record context of the frame's input record. */
    void forwardAs(Optional<RecordMetadata> source, Runnable forward) {
        if (internal == null) {
            forward.run();
            return;
        }
        ProcessorNode<?, ?, ?, ?> previousNode = internal.currentNode();
        ProcessorRecordContext previousContext = internal.recordContext();
        internal.setCurrentNode(node);
        source.filter(ProcessorRecordContext.class::isInstance).map(ProcessorRecordContext.class::cast)
                .ifPresent(internal::setRecordContext);
        try {
            forward.run();
        } finally {
            internal.setRecordContext(previousContext);
            internal.setCurrentNode(previousNode);
        }
    }

    @Override
    public void flushCache() {
        if (pending != null) pending.forwardAll();
    }

    /** Called when the task's state is recycled (active to standby), after its last commit. */
    @Override
    public void clearCache() {
        if (pending != null) pending.dropAll("the task was turned into a standby");
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<Void, Void> listener, boolean sendOldValues) {
        return false; // nothing is cached for a listener: the frames are forwarded by their processor's node
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        context.register(root, (key, value) -> { }); // no changelog: nothing to restore
        open = true;
    }

    @Override
    public void close() {
        open = false; // the processor's close() gives up any frames left, before it releases the models
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** No data, so neither caching nor logging: the only settings are off. */
    private record Builder(String name) implements StoreBuilder<InFlightDrain> {
        @Override
        public StoreBuilder<InFlightDrain> withCachingEnabled() {
            throw new UnsupportedOperationException("the in-flight drain " + name + " holds no data to cache");
        }

        @Override
        public StoreBuilder<InFlightDrain> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<InFlightDrain> withLoggingEnabled(Map<String, String> config) {
            throw new UnsupportedOperationException("the in-flight drain " + name + " holds no data to log");
        }

        @Override
        public StoreBuilder<InFlightDrain> withLoggingDisabled() {
            return this;
        }

        @Override
        public InFlightDrain build() {
            return new InFlightDrain(name);
        }

        @Override
        public Map<String, String> logConfig() {
            return Map.of();
        }

        @Override
        public boolean loggingEnabled() {
            return false;
        }
    }
}
