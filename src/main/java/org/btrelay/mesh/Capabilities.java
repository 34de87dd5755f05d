package org.btrelay.mesh;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The capabilities a relay names in its hello. A link uses a capability only when both sides
 * named it ({@link Link#has}); a relay links with one that lacks some and leaves those out on that
 * link. Unknown names are ignored, so a new feature needs no new protocol version.
 */
public final class Capabilities {
    /** {@code health} messages: the sender's load, capacity and counts. */
    public static final String HEALTH = "health";
    /** {@code records} messages: the relays the sender knows. */
    public static final String GOSSIP = "gossip";
    /** What a hello without {@code capabilities} means: a relay from before they existed. */
    public static final Set<String> V1 = Set.of(HEALTH, GOSSIP);

    static final int MAX_COUNT = 32;
    static final int MAX_LENGTH = 32;
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{0," + (MAX_LENGTH - 1) + "}");

    private Capabilities() {}

    /** A name a relay may announce: lowercase letters, digits, '.' and '-', at most 32 characters. */
    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /**
     * The capabilities a peer's hello announces, or {@code null} when the list breaks the bounds
     * (more than {@link #MAX_COUNT} names, or one that is not a {@link #validName}).
     */
    static Set<String> announced(List<String> inHello) {
        if (inHello == null) {
            return V1;
        }
        if (inHello.size() > MAX_COUNT) {
            return null;
        }
        for (String c : inHello) {
            if (!validName(c)) {
                return null;
            }
        }
        return Set.copyOf(inHello);
    }
}
