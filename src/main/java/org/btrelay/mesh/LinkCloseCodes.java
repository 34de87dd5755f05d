package org.btrelay.mesh;

/** Close codes of the relay link protocol (docs/relay-protocol.md); handlers of any message family use these. */
public final class LinkCloseCodes {
    public static final int NORMAL = 1000;
    public static final int GOING_AWAY = 1001;
    public static final int MESSAGE_TOO_BIG = 1009;
    public static final int BAD_MESSAGE = 4400;
    public static final int AUTH_FAILED = 4401;
    public static final int VERSION = 4406;
    public static final int TIMEOUT = 4408;
    public static final int DUPLICATE = 4409;
    public static final int SELF = 4410;
    public static final int TOO_MANY_MESSAGES = 4429;

    private LinkCloseCodes() {}
}
