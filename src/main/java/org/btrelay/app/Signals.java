package org.btrelay.app;

import org.slf4j.LoggerFactory;

/**
 * SIGINT and SIGTERM as a request to stop. Handling them (instead of relying on a shutdown hook
 * alone) lets the relay close its connections and then exit with status 0.
 */
final class Signals {
    private Signals() {}

    @SuppressWarnings("restriction")
    static void onTermination(Runnable action) {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> action.run());
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // Not every OS has every signal (Windows has no TERM); the shutdown hook still runs.
                LoggerFactory.getLogger(Signals.class).debug("cannot handle SIG{}: {}", name, e.getMessage());
            }
        }
    }
}
