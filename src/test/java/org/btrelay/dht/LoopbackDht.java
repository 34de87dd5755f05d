package org.btrelay.dht;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import lbms.plugins.mldht.kad.DHT;
import lbms.plugins.mldht.kad.utils.AddressUtils;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.loading.ClassReloadingStrategy;

/**
 * Lets mldht run a private DHT on 127.0.0.0/8, for tests and the local lab network. Test scope only.
 *
 * <p>mldht treats every address that is not global unicast as a bogon: it will not bind it, keep it
 * in a routing table, store or return it as a peer. There is no setting for that. This class
 * redefines, in the running JVM (ByteBuddy agent), three mldht methods:
 * <ul>
 *   <li>{@code AddressUtils.isGlobalUnicast(InetAddress)} also answers true for 127.0.0.0/8;</li>
 *   <li>{@code AddressUtils.allAddresses()} also yields 127.0.0.1–127.0.0.254, so mldht's
 *       multihoming mode may bind them;</li>
 *   <li>{@code DHT.resolveBootstrapAddresses()} does nothing, so no DHT of this JVM looks up the
 *       public routers' names (a lab never reaches beyond loopback, and a slow DNS lookup would
 *       hold up the node's scheduler).</li>
 * </ul>
 * Every DHT node of the JVM is affected. Give each node its own 127.0.0.x: mldht keeps one routing
 * entry and one stored peer per IP. Linux routes all of 127.0.0.0/8 to the loopback interface;
 * macOS needs an alias per address ({@code sudo ifconfig lo0 alias 127.0.0.2 up}).
 */
public final class LoopbackDht {
    private static boolean installed;

    private LoopbackDht() {
    }

    /** Installs the patch once per JVM; later calls return at once. Safe from many tests and threads. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        ByteBuddyAgent.install();
        ClassReloadingStrategy reloading = ClassReloadingStrategy.fromInstalledAgent();
        new ByteBuddy()
                .redefine(AddressUtils.class)
                .visit(Advice.to(GlobalUnicastAdvice.class).on(named("isGlobalUnicast").and(takesArguments(InetAddress.class))))
                .visit(Advice.to(AllAddressesAdvice.class).on(named("allAddresses").and(takesArguments(0))))
                .make()
                .load(AddressUtils.class.getClassLoader(), reloading);
        new ByteBuddy()
                .redefine(DHT.class)
                .visit(Advice.to(SkipAdvice.class).on(named("resolveBootstrapAddresses").and(takesArguments(0))))
                .make()
                .load(DHT.class.getClassLoader(), reloading);
        installed = true;
    }

    public static synchronized boolean isInstalled() {
        return installed;
    }

    /** 127.0.0.{@code n}, for n in 1..254. */
    public static InetAddress address(int n) {
        if (n < 1 || n > 254) {
            throw new IllegalArgumentException("127.0.0." + n + " is not a usable lab address");
        }
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) n});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    // Called from the inlined advice, hence public.

    public static boolean isLab(InetAddress address) {
        return address instanceof Inet4Address && address.getAddress()[0] == 127;
    }

    public static Stream<InetAddress> withLab(Stream<InetAddress> addresses) {
        List<InetAddress> lab = new ArrayList<>(254);
        for (int n = 1; n <= 254; n++) {
            lab.add(address(n));
        }
        return Stream.concat(addresses, lab.stream()).distinct();
    }

    /** Inlined at the end of {@code AddressUtils.isGlobalUnicast}. */
    static final class GlobalUnicastAdvice {
        @Advice.OnMethodExit
        static void exit(@Advice.Argument(0) InetAddress address, @Advice.Return(readOnly = false) boolean global) {
            if (!global && LoopbackDht.isLab(address)) {
                global = true;
            }
        }
    }

    /** Inlined at the end of {@code AddressUtils.allAddresses}. */
    static final class AllAddressesAdvice {
        @Advice.OnMethodExit
        static void exit(@Advice.Return(readOnly = false) Stream<InetAddress> addresses) {
            addresses = LoopbackDht.withLab(addresses);
        }
    }

    /** Skips the whole method body. */
    static final class SkipAdvice {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static boolean enter() {
            return true;
        }
    }
}
