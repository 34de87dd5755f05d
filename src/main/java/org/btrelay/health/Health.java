package org.btrelay.health;

import java.util.ArrayList;
import java.util.List;

/**
 * One health sample of a relay, as it is sent to other relays and shown to users.
 *
 * @param cpuProcess     this process's share of all cores, 0..1
 * @param cpuSystem      the machine's CPU load, 0..1
 * @param memUsed        JVM heap in use, bytes
 * @param memMax         JVM heap limit, bytes
 * @param systemMemUsed  machine memory in use, bytes
 * @param systemMemTotal machine memory, bytes
 * @param timestamp      when it was sampled, epoch milliseconds
 */
public record Health(
        double cpuProcess,
        double cpuSystem,
        long memUsed,
        long memMax,
        long systemMemUsed,
        long systemMemTotal,
        long connections,
        long peers,
        long torrents,
        double announcesPerSecond,
        double offersPerSecond,
        long uptimeSeconds,
        Capacity capacity,
        long timestamp) {

    /** Values no honest relay reports: used to drop links that lie. Empty when plausible. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        share(out, "cpuProcess", cpuProcess);
        share(out, "cpuSystem", cpuSystem);
        if (memUsed < 0 || memMax < 0 || (memMax > 0 && memUsed > memMax)) {
            out.add("memory figures are impossible");
        }
        if (systemMemUsed < 0 || systemMemTotal < 0 || (systemMemTotal > 0 && systemMemUsed > systemMemTotal)) {
            out.add("system memory figures are impossible");
        }
        if (connections < 0 || peers < 0 || torrents < 0 || uptimeSeconds < 0) {
            out.add("negative counts");
        }
        if (!(announcesPerSecond >= 0 && announcesPerSecond < 1e7) || !(offersPerSecond >= 0 && offersPerSecond < 1e8)) {
            out.add("impossible rates");
        }
        if (capacity == null) {
            out.add("capacity missing");
        }
        return out;
    }

    private static void share(List<String> out, String name, double v) {
        if (!(v >= 0 && v <= 1.0001)) {
            out.add(name + " must be between 0 and 1");
        }
    }
}
