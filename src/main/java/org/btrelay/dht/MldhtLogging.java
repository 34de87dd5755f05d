package org.btrelay.dht;

import java.util.concurrent.atomic.AtomicBoolean;
import lbms.plugins.mldht.kad.DHT;
import lbms.plugins.mldht.kad.DHT.LogLevel;
import lbms.plugins.mldht.kad.DHTLogger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes mldht's JVM-wide logger (System.out by default) to SLF4J, logger {@code org.btrelay.dht.mldht}.
 *
 * <p>mldht's "Info" is chatty routine (servers starting, requests queued by its throttle), so it
 * becomes DEBUG; its "Error" strings are mostly error replies from remote nodes, so those become
 * DEBUG too and other errors WARN; "Fatal" is ERROR. mldht's own level is set once, from what the
 * SLF4J logger accepts at that moment, so that messages nobody reads are never built.
 */
final class MldhtLogging implements DHTLogger {
    static final Logger log = LoggerFactory.getLogger("org.btrelay.dht.mldht");
    private static final AtomicBoolean installed = new AtomicBoolean();

    private MldhtLogging() {
    }

    static void install() {
        if (!installed.compareAndSet(false, true)) {
            return;
        }
        DHT.setLogger(new MldhtLogging());
        DHT.setLogLevel(log.isTraceEnabled() ? LogLevel.Verbose
                : log.isDebugEnabled() ? LogLevel.Info
                : LogLevel.Error);
    }

    @Override
    public void log(String message, LogLevel level) {
        switch (level) {
            case Fatal -> log.error(message);
            case Error -> {
                if (message.startsWith("Error [")) {
                    log.debug(message); // an error reply from a remote node
                } else {
                    log.warn(message);
                }
            }
            case Info -> log.debug(message);
            default -> log.trace(message);
        }
    }

    @Override
    public void log(Throwable e, LogLevel level) {
        switch (level) {
            case Fatal -> log.error("mldht failure", e);
            case Error -> log.warn("mldht error", e);
            case Info -> log.debug("mldht", e);
            default -> log.trace("mldht", e);
        }
    }
}
