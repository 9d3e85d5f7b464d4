package io.emostream.bench;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the machine was doing around a measurement, read from /proc (Linux): the load average, so that figures from
 * a shared machine can be judged, and this process's memory and CPU time.
 */
public final class MachineState {
    private static final Path LOADAVG = Path.of("/proc/loadavg");
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private static final double MIB = 1024.0 * 1024.0;

    private MachineState() { }

    /** The 1-minute load average, or -1 where /proc/loadavg is not readable. */
    public static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(LOADAVG).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Peak resident set size of this process in MiB (VmHWM), or -1 where it is not readable. */
    public static double peakRssMiB() {
        return statusMiB("VmHWM:");
    }

    /** Resident set size of this process in MiB (VmRSS), or -1 where it is not readable. */
    public static double residentMiB() {
        return statusMiB("VmRSS:");
    }

    /** Java heap in use, in MiB (live objects and garbage not yet collected). */
    public static double heapUsedMiB() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / MIB;
    }

    /** Java heap the JVM has reserved from the operating system (committed), in MiB. */
    public static double heapCommittedMiB() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() / MIB;
    }

    /**
     * Whether the whole heap was made resident at start-up ({@code -Xms} equal to {@code -Xmx} and
     * {@code -XX:+AlwaysPreTouch}), so that later growth of the resident set is growth outside the heap.
     */
    public static boolean heapPreTouched() {
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return heap.getInit() == heap.getMax()
                && ManagementFactory.getRuntimeMXBean().getInputArguments().contains("-XX:+AlwaysPreTouch");
    }

    /** Memory held by direct byte buffers, in MiB (the JVM's "direct" buffer pool), or -1 where it has none. */
    public static double directMiB() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).findFirst()
                .map(pool -> pool.getMemoryUsed() / MIB).orElse(-1.0);
    }

    private static double statusMiB(String field) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: reported as unknown
        }
        return -1;
    }

    /**
     * CPU time this process has used, all its threads together, in milliseconds; -1 where the JVM does not say.
     * Unlike throughput, it hardly changes when other processes load the machine.
     */
    public static double processCpuMs() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long ns = os.getProcessCpuTime();
            return ns < 0 ? -1 : ns / 1e6;
        }
        return -1;
    }

    /**
     * CPU time of this process's live threads whose names start with {@code prefix}, in milliseconds: where a
     * process's time goes, thread by thread. Threads that ended no longer count.
     */
    public static double threadsCpuMs(String prefix) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long ns = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(prefix)) {
                ns += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return ns / 1e6;
    }

    /**
     * Resets the peak RSS to the current RSS (writing 5 to /proc/self/clear_refs), so that the next reading is the
     * peak of one scenario and not of everything the process did before.
     *
     * @return false where the kernel does not allow it: the peak then counts from process start
     */
    public static boolean resetPeakRss() {
        try {
            Files.writeString(CLEAR_REFS, "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
