package org.btrelay.lab;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A lab network that another program drives over stdin and stdout, for end-to-end tests written
 * in other languages (src/test/node/browser/failover.mjs):
 * {@code java -cp <test classpath> org.btrelay.lab.LabDriver N}.
 *
 * <p>Starts N relays with {@link LabNetwork} (private DHT on 127.0.0.2…, fast mesh timings so that
 * a stopped relay is marked down within seconds) and prints {@code relay <i> <http-url>} for each
 * (1-based), then {@code ready}. Then it reads one command per line:
 * <ul>
 *   <li>{@code stop <i>}: stops relay i (its listeners and sockets close) and prints
 *       {@code stopped <i> <epoch-millis>} once it is down;</li>
 *   <li>{@code start <i>}: starts it again with the same identity, prints {@code started <i>};</li>
 *   <li>{@code quit}, or the end of stdin: stops every relay and exits 0.</li>
 * </ul>
 * A bad command prints {@code error <text>} and changes nothing. Logs go to stderr.
 */
public final class LabDriver {
    private LabDriver() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Path base = Files.createTempDirectory("bittorrent-relay-lab");
        int code = 0;
        try (LabNetwork lab = LabNetwork.start(n, true, LabNetwork.FAST, base)) {
            for (int i = 0; i < n; i++) {
                say("relay " + (i + 1) + " " + lab.httpUrl(i));
            }
            say("ready");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                String[] words = line.strip().split("\\s+");
                if (words[0].equals("quit")) {
                    break;
                }
                try {
                    run(lab, words);
                } catch (RuntimeException e) {
                    say("error " + e.getMessage());
                }
            }
        } catch (Exception e) {
            e.printStackTrace();
            code = 1;
        } finally {
            deleteTree(base);
        }
        System.exit(code);
    }

    private static void run(LabNetwork lab, String[] words) {
        if (words.length != 2 || !(words[0].equals("stop") || words[0].equals("start"))) {
            throw new IllegalArgumentException("unknown command: " + String.join(" ", words));
        }
        int i;
        try {
            i = Integer.parseInt(words[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a relay number: " + words[1]);
        }
        if (i < 1 || i > lab.size()) {
            throw new IllegalArgumentException("no relay " + i + " (1.." + lab.size() + ")");
        }
        if (words[0].equals("stop")) {
            lab.stopRelay(i - 1);
            say("stopped " + i + " " + System.currentTimeMillis());
        } else {
            if (lab.relay(i - 1) != null) {
                throw new IllegalArgumentException("relay " + i + " is running");
            }
            try {
                lab.startRelay(i - 1);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("relay " + i + " did not start: " + e);
            }
            say("started " + i);
        }
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            // a temp folder left behind is harmless
        }
    }
}
