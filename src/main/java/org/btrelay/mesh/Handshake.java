package org.btrelay.mesh;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A link's opening: the hellos (version, signed record, nonce, capabilities), the proofs, and
 * which of two links between the same pair survives. Mesh thread only.
 *
 * <p>Each side signs the other's nonce with both ids (docs/relay-protocol.md). A link is
 * authenticated once the peer's proof verifies; the capabilities both sides named are the link's.
 */
final class Handshake {
    private final Identity identity;
    private final Supplier<RelayRecord> self;
    private final Supplier<Set<String>> capabilities;
    private final Directory directory;
    private final Dialer dialer;
    private final Link.Closer closer;
    private final Consumer<Link> up;

    /**
     * @param capabilities what this relay announces (fixed once links open)
     * @param up           called with a link that authenticated and is the one kept for its relay
     */
    Handshake(Identity identity, Supplier<RelayRecord> self, Supplier<Set<String>> capabilities, Directory directory,
              Dialer dialer, Link.Closer closer, Consumer<Link> up) {
        this.identity = identity;
        this.self = self;
        this.capabilities = capabilities;
        this.directory = directory;
        this.dialer = dialer;
        this.closer = closer;
        this.up = up;
    }

    /** This side's hello on a link. */
    LinkMessage.Hello hello(Link link) {
        List<String> names = new ArrayList<>(new java.util.TreeSet<>(capabilities.get()));
        return new LinkMessage.Hello(LinkMessage.VERSION, self.get(), link.myNonce, names);
    }

    void onHello(Link link, LinkMessage.Hello h) {
        if (link.peer != null) {
            closer.drop(link, LinkCloseCodes.BAD_MESSAGE, "second hello");
            return;
        }
        if (h.version() != LinkMessage.VERSION) {
            closer.drop(link, LinkCloseCodes.VERSION, "protocol version " + LinkMessage.VERSION + " only");
            return;
        }
        Set<String> theirs = Capabilities.announced(h.capabilities());
        if (theirs == null) {
            closer.drop(link, LinkCloseCodes.BAD_MESSAGE, "at most " + Capabilities.MAX_COUNT
                    + " capabilities, each a short lowercase name");
            return;
        }
        RelayRecord r = h.record();
        List<String> problems = r == null ? List.of("no record") : r.problems(System.currentTimeMillis());
        if (!problems.isEmpty()) {
            closer.drop(link, LinkCloseCodes.AUTH_FAILED, "invalid record: " + problems.get(0));
            return;
        }
        byte[] nonce = decode(h.nonce());
        if (nonce == null || nonce.length != 32) {
            closer.drop(link, LinkCloseCodes.BAD_MESSAGE, "nonce must be 32 bytes");
            return;
        }
        if (r.id().equals(identity.id())) {
            dialer.reachedSelf(link);
            closer.drop(link, LinkCloseCodes.SELF, "this is myself");
            return;
        }
        link.peer = r;
        link.capabilities = shared(capabilities.get(), theirs);
        byte[] sig = identity.sign(proofBytes(h.nonce(), identity.id(), r.id()));
        link.send(new LinkMessage.Proof(Base64.getEncoder().encodeToString(sig)));
    }

    void onProof(Link link, LinkMessage.Proof p) {
        if (link.peer == null || link.authenticated) {
            closer.drop(link, LinkCloseCodes.AUTH_FAILED, "proof out of order");
            return;
        }
        byte[] sig = decode(p.signature());
        if (!Identity.verify(link.peer.publicKey(), proofBytes(link.myNonce, link.peer.id(), identity.id()), sig)) {
            closer.drop(link, LinkCloseCodes.AUTH_FAILED, "proof does not verify");
            return;
        }
        link.authenticated = true;
        dialer.authenticated(link);
        Directory.Entry e = directory.get(link.peer.id());
        if (e != null && e.link != null && e.link != link) {
            if (!keepsNew(identity.id(), link.peer.id(), link.outbound(), e.link.outbound())) {
                closer.drop(link, LinkCloseCodes.DUPLICATE, "already linked");
                return;
            }
            closer.drop(e.link, LinkCloseCodes.DUPLICATE, "already linked");
        }
        up.accept(link);
    }

    /**
     * Two links between the same pair: both sides keep the one dialled by the lower id, so both
     * make the same choice without talking about it.
     */
    static boolean keepsNew(String selfId, String peerId, boolean newOutbound, boolean oldOutbound) {
        String dialerOfNew = newOutbound ? selfId : peerId;
        String dialerOfOld = oldOutbound ? selfId : peerId;
        return dialerOfNew.compareTo(dialerOfOld) < 0;
    }

    static Set<String> shared(Set<String> ours, Set<String> theirs) {
        Set<String> both = new HashSet<>(ours);
        both.retainAll(theirs);
        return Set.copyOf(both);
    }

    static byte[] proofBytes(String nonce, String signerId, String verifierId) {
        return ("btrelay-link-v1|" + nonce + "|" + signerId + "|" + verifierId).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] decode(String base64) {
        try {
            return base64 == null ? null : Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
