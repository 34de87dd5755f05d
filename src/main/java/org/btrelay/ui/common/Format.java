package org.btrelay.ui.common;

import java.util.Locale;

/** How numbers read in the dashboard. */
public final class Format {
    private Format() {}

    public static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f %%", share * 100);
    }

    public static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        double v = b;
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
    }

    public static String count(long n) {
        if (n < 10_000) {
            return Long.toString(n);
        }
        if (n < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f k", n / 1000.0);
        }
        return String.format(Locale.ROOT, "%.2f M", n / 1_000_000.0);
    }

    public static String rate(double perSecond) {
        return String.format(Locale.ROOT, perSecond < 10 ? "%.1f" : "%.0f", perSecond);
    }

    public static String millis(Double ms) {
        if (ms == null) {
            return "";
        }
        return String.format(Locale.ROOT, ms < 10 ? "%.1f ms" : "%.0f ms", ms);
    }

    /**
     * 3 d 4 h, 2 h 5 min, 4 min, 12 s: seconds only in the first minute, so a label showing an
     * uptime changes once a minute, not every second (each change costs a repaint).
     */
    public static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min";
        }
        if (seconds < 86_400) {
            return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
        }
        return seconds / 86_400 + " d " + seconds % 86_400 / 3600 + " h";
    }

    /**
     * "now" (within 15 s: relays report every 5 s), "30 s ago" (in steps of 15 s), "3 min ago";
     * "never" when never.
     */
    public static String ago(long thenMillis, long nowMillis) {
        if (thenMillis <= 0) {
            return "never";
        }
        long s = Math.max(0, (nowMillis - thenMillis) / 1000);
        if (s < 15) {
            return "now";
        }
        if (s < 60) {
            return s / 15 * 15 + " s ago";
        }
        if (s < 3600) {
            return s / 60 + " min ago";
        }
        if (s < 86_400) {
            return s / 3600 + " h ago";
        }
        return s / 86_400 + " d ago";
    }
}
