package org.btrelay.tracker.ws;

/** WebSocket close codes the tracker uses (RFC 6455 section 7.4.1). */
final class WsCloseCodes {
    static final int GOING_AWAY = 1001;
    /** A message that is not valid UTF-8 (Undertow uses it for text frames itself). */
    static final int INVALID_DATA = 1007;
    static final int POLICY_VIOLATION = 1008;
    static final int MESSAGE_TOO_BIG = 1009;
    /** "Try again later": the relay is at its connection limit. */
    static final int TRY_AGAIN_LATER = 1013;
    /** Private range: the client stopped reading and its queue hit the bound. */
    static final int SLOW_READER = 4000;
    /** Private range: the client stayed silent past the idle timeout. */
    static final int IDLE = 4001;

    private WsCloseCodes() {}
}
