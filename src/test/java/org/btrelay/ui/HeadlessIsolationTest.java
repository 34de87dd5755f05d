package org.btrelay.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JavaFX stays inside org.btrelay.ui: the core never imports it and --headless never loads it. */
class HeadlessIsolationTest {
    @TempDir
    Path dir;

    @Test
    void nothingOutsideTheUiPackageImportsJavaFx() throws IOException {
        Path main = Path.of("src/main/java/org/btrelay");
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(main)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                if (p.startsWith(main.resolve("ui"))) {
                    continue;
                }
                String src = Files.readString(p);
                if (src.matches("(?s).*\\b(import\\s+)?(javafx|org\\.controlsfx|atlantafx)\\.[a-z].*")) {
                    offenders.add(main.relativize(p).toString());
                }
            }
        }
        assertThat(offenders).isEmpty();
    }

    @Test
    void theHeadlessRelayLoadsNoJavaFxClass() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-verbose:class", "-cp", System.getProperty("java.class.path"),
                "org.btrelay.app.Main", "--headless", "--host", "127.0.0.1", "--port", "0", "--no-dht",
                "--data-dir", dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> loaded = new ArrayList<>();
        boolean listening = false;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            String line;
            while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
                if (line.startsWith("listening ")) {
                    listening = true;
                    break;
                }
                if (line.contains("javafx.") || line.contains("org.btrelay.ui.") || line.contains("controlsfx")) {
                    loaded.add(line);
                }
            }
        } finally {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        assertThat(listening).as("the headless relay started").isTrue();
        assertThat(loaded).isEmpty();
    }
}
