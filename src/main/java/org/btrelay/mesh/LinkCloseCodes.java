package org.btrelay.mesh;

/** Close codes of the relay link protocol (docs/relay-protocol.md). */
final class LinkCloseCodes {
    static final int NORMAL = 1000;
    static final int GOING_AWAY = 1001;
    static final int MESSAGE_TOO_BIG = 1009;
    static final int BAD_MESSAGE = 4400;
    static final int AUTH_FAILED = 4401;
    static final int VERSION = 4406;
    static final int TIMEOUT = 4408;
    static final int DUPLICATE = 4409;
    static final int SELF = 4410;
    static final int TOO_MANY_MESSAGES = 4429;

    private LinkCloseCodes() {}
}
