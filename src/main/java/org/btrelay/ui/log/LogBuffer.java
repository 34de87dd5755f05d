package org.btrelay.ui.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * A Logback appender that keeps the last {@link #CAPACITY} events in memory for the Log view.
 * Appending is a few field writes under a lock; the view copies what is new a few times a second.
 */
public final class LogBuffer extends AppenderBase<ILoggingEvent> {
    public static final int CAPACITY = 2000;
    static final int MAX_MESSAGE = 2000;
    private static volatile LogBuffer installed;

    /** One log event, reduced to what is shown. */
    public record Line(long seq, long timeMillis, Level level, String logger, String thread, String message) {}

    private final Line[] ring;
    private long next = 1;

    public LogBuffer(int capacity) {
        this.ring = new Line[capacity];
        setName("dashboard");
    }

    /** The buffer attached to the root logger, attached on first call; {@code null} if Logback is not in use. */
    public static synchronized LogBuffer install() {
        if (installed != null) {
            return installed;
        }
        ILoggerFactory f = LoggerFactory.getILoggerFactory();
        if (!(f instanceof LoggerContext ctx)) {
            return null;
        }
        LogBuffer b = new LogBuffer(CAPACITY);
        b.setContext(ctx);
        b.start();
        ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(b);
        installed = b;
        return b;
    }

    @Override
    protected void append(ILoggingEvent e) {
        String msg = e.getFormattedMessage();
        IThrowableProxy t = e.getThrowableProxy();
        if (t != null) {
            msg = msg + " — " + t.getClassName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        }
        if (msg != null && msg.length() > MAX_MESSAGE) {
            msg = msg.substring(0, MAX_MESSAGE) + "…";
        }
        String logger = e.getLoggerName();
        int dot = logger == null ? -1 : logger.lastIndexOf('.');
        String shortName = dot < 0 ? logger : logger.substring(dot + 1);
        synchronized (this) {
            long seq = next++;
            ring[(int) (seq % ring.length)] = new Line(seq, e.getTimeStamp(), e.getLevel(), shortName,
                    e.getThreadName(), msg);
        }
    }

    /** Lines after {@code seq}, oldest first (at most the capacity). */
    public synchronized List<Line> since(long seq) {
        long first = Math.max(seq + 1, Math.max(1, next - ring.length));
        List<Line> out = new ArrayList<>((int) Math.max(0, next - first));
        for (long s = first; s < next; s++) {
            out.add(ring[(int) (s % ring.length)]);
        }
        return out;
    }

    /** The sequence number of the newest line (0 when none). */
    public synchronized long last() {
        return next - 1;
    }
}
