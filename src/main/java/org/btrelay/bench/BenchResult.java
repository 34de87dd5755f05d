package org.btrelay.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What one run measured. Rates are over the measured part only; errors count the whole run
 * (connecting and warm-up included), because an error there is an error all the same.
 *
 * <p>A <em>response</em> is any message the tracker sent to any connection: announce replies,
 * offers forwarded to a peer, answers routed back, scrape replies and failures.
 */
record BenchResult(
        BenchConfig config,
        int opened,
        double connectSeconds,
        double measuredSeconds,
        Counts measured,
        Counts warm,
        Histogram latency,
        long connectFailures,
        long closedByServer,
        long ioErrors,
        long protocolErrors,
        Map<String, Long> failureReasons,
        Map<String, Long> closeCodes,
        double generatorCpuPercent) {

    private static final ObjectMapper JSON = new ObjectMapper();

    double perSecond(long n) {
        return n / measuredSeconds;
    }

    double responsesPerSecond() {
        return perSecond(measured.responses);
    }

    double announcesPerSecond() {
        return perSecond(measured.announceReplies);
    }

    /** A latency percentile in milliseconds; 0 without samples. */
    double latencyMs(double percentile) {
        return latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(percentile) / 1e6;
    }

    long failures() {
        return measured.failures + warm.failures;
    }

    long errors() {
        return failures() + measured.unexpected + warm.unexpected + connectFailures + closedByServer + ioErrors
                + protocolErrors;
    }

    /** The machine-readable result: one JSON object. */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tracker", config.url().toString());
        m.put("connections", config.connections());
        m.put("connected", opened);
        m.put("torrents", config.torrents());
        m.put("torrentsPerConnection", config.torrentsPerConnection());
        m.put("offers", config.offers());
        m.put("rate", config.rate());
        m.put("threads", config.threads());
        m.put("durationSeconds", round(measuredSeconds, 3));
        m.put("warmupSeconds", round(config.warmup().toNanos() / 1e9, 3));
        m.put("responsesPerSecond", round(responsesPerSecond(), 1));
        m.put("announcesPerSecond", round(announcesPerSecond(), 1));
        m.put("offersPerSecond", round(perSecond(measured.offersReceived), 1));
        m.put("answersPerSecond", round(perSecond(measured.answersReceived), 1));
        m.put("scrapesPerSecond", round(perSecond(measured.scrapeReplies), 1));
        m.put("latencyP50Ms", round(latencyMs(50), 3));
        m.put("latencyP90Ms", round(latencyMs(90), 3));
        m.put("latencyP99Ms", round(latencyMs(99), 3));
        m.put("latencyP999Ms", round(latencyMs(99.9), 3));
        m.put("latencyMaxMs", round(latency.getTotalCount() == 0 ? 0 : latency.getMaxValue() / 1e6, 3));
        m.put("latencySamples", latency.getTotalCount());
        m.put("responses", measured.responses);
        m.put("announcesSent", measured.announcesSent);
        m.put("answersSent", measured.answersSent);
        m.put("scrapesSent", measured.scrapesSent);
        m.put("bytesInPerSecond", Math.round(perSecond(measured.bytesIn)));
        m.put("bytesOutPerSecond", Math.round(perSecond(measured.bytesOut)));
        m.put("errors", errors());
        m.put("failures", failures());
        m.put("connectFailures", connectFailures);
        m.put("closedByTracker", closedByServer);
        m.put("ioErrors", ioErrors);
        m.put("protocolErrors", protocolErrors);
        m.put("unexpectedMessages", measured.unexpected + warm.unexpected);
        m.put("connectSeconds", round(connectSeconds, 2));
        m.put("generatorCpuPercent", round(generatorCpuPercent, 1));
        m.put("failureReasons", failureReasons);
        m.put("closeCodes", closeCodes);
        return m;
    }

    String toJsonLine() {
        try {
            return JSON.writeValueAsString(toMap());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The readable summary, then the JSON line last. */
    void print(PrintWriter out) {
        BenchConfig c = config;
        out.printf(Locale.ROOT, "tracker        %s%n", c.url());
        out.printf(Locale.ROOT, "load           %d connections (%d open) on %d torrents x %d, %d offers of %d-byte SDP, "
                        + "seeders %.0f%%, answers %.0f%%, scrapes %.1f%%, %s, %d threads%n",
                c.connections(), opened, c.torrents(), c.torrentsPerConnection(), c.offers(), c.sdpBytes(),
                100 * c.seedShare(), 100 * c.answerShare(), 100 * c.scrapeShare(),
                c.rate() == 0 ? "closed loop (re-announce on reply)" : String.format(Locale.ROOT, "%.0f announces/s", c.rate()),
                c.threads());
        out.printf(Locale.ROOT, "measured       %.1f s after %.1f s warm-up (connecting took %.1f s)%n",
                measuredSeconds, c.warmup().toNanos() / 1e9, connectSeconds);
        out.printf(Locale.ROOT, "responses/s    %,.0f  (announce replies %,.0f, offers %,.0f, answers %,.0f, scrapes %,.0f)%n",
                responsesPerSecond(), announcesPerSecond(), perSecond(measured.offersReceived),
                perSecond(measured.answersReceived), perSecond(measured.scrapeReplies));
        out.printf(Locale.ROOT, "sent/s         announces %,.0f, answers %,.0f, scrapes %,.0f%n",
                perSecond(measured.announcesSent), perSecond(measured.answersSent), perSecond(measured.scrapesSent));
        out.printf(Locale.ROOT, "announce ms    p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f  (%,d samples)%n",
                latencyMs(50), latencyMs(90), latencyMs(99), latencyMs(99.9),
                latency.getTotalCount() == 0 ? 0 : latency.getMaxValue() / 1e6, latency.getTotalCount());
        out.printf(Locale.ROOT, "traffic        in %.1f MB/s, out %.1f MB/s; generator CPU %.0f%% of one core%n",
                perSecond(measured.bytesIn) / 1e6, perSecond(measured.bytesOut) / 1e6, generatorCpuPercent);
        out.printf(Locale.ROOT, "errors         %d  (failure replies %d, closed by tracker %d, connect failures %d, "
                        + "I/O %d, protocol %d, unexpected messages %d)%n",
                errors(), failures(), closedByServer, connectFailures, ioErrors, protocolErrors,
                measured.unexpected + warm.unexpected);
        if (!closeCodes.isEmpty()) {
            out.printf(Locale.ROOT, "close codes    %s%n", closeCodes);
        }
        failureReasons.forEach((reason, n) -> out.printf(Locale.ROOT, "  %6d x %s%n", n, reason));
        out.println(toJsonLine());
        out.flush();
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
