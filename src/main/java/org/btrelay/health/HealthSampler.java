package org.btrelay.health;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.function.Supplier;
import org.btrelay.tracker.TrackerStats;
import org.slf4j.LoggerFactory;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;

/**
 * Samples this process (JVM) and machine (OSHI) together with the tracker's counters. Call
 * {@link #sample()} from one thread, every few seconds: CPU load is measured between calls.
 */
public final class HealthSampler {
    private final Supplier<TrackerStats.Snapshot> tracker;
    private final int maxConnections;
    private final CapacityThresholds thresholds;
    private final long startedAtMillis;
    private final OperatingSystemMXBean os;
    private final CentralProcessor cpu;
    private final GlobalMemory memory;
    private long[] previousTicks;
    /** Machine CPU smoothed over about half a minute: one busy moment does not make a relay full. */
    private double smoothedCpu = -1;
    static final double SMOOTHING = 0.2;

    public HealthSampler(Supplier<TrackerStats.Snapshot> tracker, int maxConnections, CapacityThresholds thresholds,
                         long startedAtMillis) {
        this.tracker = tracker;
        this.maxConnections = maxConnections;
        this.thresholds = thresholds;
        this.startedAtMillis = startedAtMillis;
        this.os = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
        CentralProcessor c = null;
        GlobalMemory m = null;
        try {
            SystemInfo si = new SystemInfo();
            c = si.getHardware().getProcessor();
            m = si.getHardware().getMemory();
            previousTicks = c.getSystemCpuLoadTicks();
        } catch (RuntimeException | LinkageError e) {
            // OSHI supports the usual desktop and server OSes; elsewhere fall back to the JVM's view.
            LoggerFactory.getLogger(HealthSampler.class).warn("system metrics unavailable: {}", e.toString());
        }
        this.cpu = c;
        this.memory = m;
    }

    public synchronized Health sample() {
        TrackerStats.Snapshot s = tracker.get();
        double systemCpu;
        if (cpu != null) {
            systemCpu = cpu.getSystemCpuLoadBetweenTicks(previousTicks);
            previousTicks = cpu.getSystemCpuLoadTicks();
        } else {
            systemCpu = os.getCpuLoad();
        }
        double processCpu = os.getProcessCpuLoad();
        long sysTotal = memory != null ? memory.getTotal() : os.getTotalMemorySize();
        long sysFree = memory != null ? memory.getAvailable() : os.getFreeMemorySize();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        double cpuNow = clampShare(systemCpu);
        smoothedCpu = smoothedCpu < 0 ? cpuNow : smoothedCpu + SMOOTHING * (cpuNow - smoothedCpu);
        Capacity capacity = thresholds.classify(smoothedCpu, (double) s.connections() / maxConnections);
        long max = heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
        return new Health(clampShare(processCpu), cpuNow, Math.min(heap.getUsed(), max), max,
                Math.max(0, sysTotal - sysFree), sysTotal, s.connections(), s.peers(), s.activeTorrents(),
                s.announcesPerSecond(), s.offersForwardedPerSecond(),
                (System.currentTimeMillis() - startedAtMillis) / 1000, capacity, System.currentTimeMillis());
    }

    private static double clampShare(double v) {
        return Double.isNaN(v) || v < 0 ? 0 : Math.min(1, v);
    }
}
