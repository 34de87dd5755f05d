package org.btrelay.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs one browser test through {@code src/test/node/browser/run-in-netns.sh}: the relay(s), the
 * page server and headless Chromium inside a fresh loopback-only network namespace.
 *
 * <p>Needs Node.js >= 20 with npm, {@code /usr/bin/chromium} (Debian's package), util-linux
 * {@code unshare} and iproute2 {@code ip}, and the right to create a network namespace (root, or
 * unprivileged user namespaces). When one is missing the test is skipped, unless the environment
 * variable {@code CI} is {@code true}: then it fails.
 */
final class BrowserRun {
    /** Past the runs' own deadlines (50 s transfer, 140 s failover) plus a relay's start. */
    static final Duration RUN_TIMEOUT = Duration.ofSeconds(170);
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration NPM_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);
    private static final List<String> NPM_INSTALL = List.of("ci", "--ignore-scripts", "--no-audit", "--no-fund");
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    private static final int TAIL_CHARS = 20_000;
    /** Files that {@code npm ci} puts in src/test/node/node_modules and the browser tests serve or run. */
    private static final List<String> NODE_MODULE_FILES = List.of(
            "webtorrent/dist/webtorrent.min.js",
            "webtorrent3/dist/webtorrent.min.js",
            "@trystero-p2p/torrent/dist/index.mjs",
            "@trystero-p2p/core/dist/index.mjs",
            "p2p-media-loader-core/dist/p2p-media-loader-core.es.js",
            "p2p-media-loader-hlsjs/dist/p2p-media-loader-hlsjs.es.js",
            "hls.js/dist/hls.mjs",
            "bittorrent-tracker/server.js",
            "playwright-core/package.json");

    /** What the runner printed, and the JSON result of its last stdout line. */
    record Result(int exitCode, String stdout, String stderr, JsonNode json) {
        /** Steps by name, in the order printed. */
        Map<String, JsonNode> steps() {
            Map<String, JsonNode> byName = new LinkedHashMap<>();
            for (JsonNode step : json.path("steps")) {
                byName.put(step.path("name").asText(), step);
            }
            return byName;
        }

        String describeSteps() {
            StringBuilder out = new StringBuilder();
            for (JsonNode step : json.path("steps")) {
                out.append(step.path("ok").asBoolean(false) ? "  ok    " : "  FAIL  ")
                        .append(step.path("name").asText())
                        .append(" (").append(step.path("ms").asLong()).append(" ms): ")
                        .append(step.path("detail").asText())
                        .append('\n');
            }
            return out.toString();
        }

        String context() {
            return "\n--- steps ---\n" + describeSteps()
                    + "\n--- exit code " + exitCode + " ---"
                    + "\n--- stdout ---\n" + tail(stdout)
                    + "\n--- stderr ---\n" + tail(stderr);
        }

        /** Every expected step is present and ok, and the run says ok. */
        void assertPassed(List<String> expectedSteps) {
            Map<String, JsonNode> byName = steps();
            List<String> problems = new ArrayList<>();
            for (String name : expectedSteps) {
                JsonNode step = byName.get(name);
                if (step == null) {
                    problems.add(name + ": missing");
                } else if (!step.path("ok").asBoolean(false)) {
                    problems.add(name + ": " + step.path("detail").asText());
                }
            }
            assertThat(problems).as("failed or missing steps%s", context()).isEmpty();
            assertThat(json.path("ok").isBoolean() && json.path("ok").booleanValue())
                    .as("\"ok\" in the result%s", context()).isTrue();
            assertThat(exitCode).as("the runner's exit code%s", context()).isZero();
        }
    }

    private BrowserRun() {
    }

    static Path baseDir() {
        String basedir = System.getProperty("basedir");
        Path path = basedir == null || basedir.isBlank() ? Path.of("") : Path.of(basedir);
        return path.toAbsolutePath().normalize();
    }

    static Path nodeDir() {
        return baseDir().resolve("src/test/node");
    }

    /** The runner script and the Node.js it runs the tests with. */
    record Runner(Path script, Path node) {
        /** {@code sh run-in-netns.sh <args>}, killed after {@link #RUN_TIMEOUT}. */
        Result run(String... args) throws InterruptedException {
            return run(RUN_TIMEOUT, args);
        }

        /** {@code sh run-in-netns.sh <args>}, killed after {@code timeout}. */
        Result run(Duration timeout, String... args) throws InterruptedException {
            List<String> command = new ArrayList<>(List.of("sh", script.toString()));
            command.addAll(List.of(args));
            return BrowserRun.run(command, Map.of("NODE", node.toString()), timeout, true);
        }
    }

    /**
     * Checks every tool the browser tests need and installs the npm packages if they are missing;
     * a missing tool makes the test skip (or fail in CI).
     */
    static Runner prepare() throws InterruptedException {
        Path runner = nodeDir().resolve("browser/run-in-netns.sh");
        assertThat(runner).as("browser test runner").isRegularFile();
        Path node = findOnPath("node").orElseGet(() -> unavailable("`node` (Node.js >= 20) was not found on PATH."));
        int major = nodeMajorVersion(node);
        if (major < 20) {
            unavailable("Node.js " + major + " is too old: playwright-core needs Node.js >= 20.");
        }
        if (!Files.isExecutable(CHROMIUM)) {
            unavailable(CHROMIUM + " does not exist (install Debian's `chromium` package).");
        }
        if (findOnPath("unshare").isEmpty()) {
            unavailable("`unshare` (util-linux) was not found on PATH.");
        }
        if (findOnPath("ip").isEmpty()) {
            unavailable("`ip` (iproute2) was not found on PATH.");
        }
        ensureNodeModules();
        Result check = run(List.of("sh", runner.toString(), "check"), Map.of(), CHECK_TIMEOUT, false);
        if (check.exitCode() != 0) {
            unavailable("cannot create a loopback-only network namespace (`unshare --net`; needs root or"
                    + " unprivileged user namespaces): " + check.stderr().strip());
        }
        return new Runner(runner, node);
    }

    /**
     * Runs a command (the runner) from the project folder and waits for it; kills it and its
     * children when it takes longer than {@code timeout}.
     */
    static Result run(List<String> command, Map<String, String> env, Duration timeout, boolean parseJson)
            throws InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(baseDir().toFile());
        builder.environment().putAll(env);
        builder.environment().put("JAVA", javaExecutable());
        Process process;
        try {
            process = builder.start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command, e);
        }
        StringBuilder stdout = new StringBuilder();
        StringBuilder stderr = new StringBuilder();
        Thread out = pump(process.getInputStream(), stdout, false);
        Thread err = pump(process.getErrorStream(), stderr, true);
        boolean done = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!done) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        out.join(DRAIN_TIMEOUT.toMillis());
        err.join(DRAIN_TIMEOUT.toMillis());
        String so;
        String se;
        synchronized (stdout) {
            so = stdout.toString();
        }
        synchronized (stderr) {
            se = stderr.toString();
        }
        int code = done ? process.exitValue() : -1;
        if (!done) {
            se += "\n[killed: no exit within " + timeout.toSeconds() + " s]\n";
        }
        if (!parseJson) {
            return new Result(code, so, se, null);
        }
        return new Result(code, so, se, lastJsonLine(so, code, se));
    }

    /**
     * The test classpath, for a JVM started by the runner (the lab relays). Failsafe runs tests
     * from a manifest-only jar; it names the real classpath in {@code surefire.test.class.path}.
     */
    static String testClasspath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp == null || cp.isBlank() ? System.getProperty("java.class.path") : cp;
    }

    /** The environment cannot run the test: a failure when {@code CI=true}, a skip otherwise. */
    static <T> T unavailable(String reason) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("browser test cannot run (CI=true, so this fails): " + reason);
        }
        return Assumptions.abort("browser test skipped: " + reason
                + " To run it: Debian's `chromium`, `util-linux` and `iproute2`, Node.js >= 20 with npm (the test"
                + " runs `npm " + String.join(" ", NPM_INSTALL) + "` in src/test/node itself), root or"
                + " unprivileged user namespaces, and the built jar. With CI=true a missing tool fails the build.");
    }

    /** A tool a test needs besides the common ones (ffmpeg for the HLS stream): skip, or fail in CI, without it. */
    static Path requireTool(String name, String debianPackage) {
        return findOnPath(name).orElseGet(() -> unavailable(
                "`" + name + "` was not found on PATH (install Debian's `" + debianPackage + "` package)."));
    }

    private static List<String> missingNodeModules(Path nodeDir) {
        return NODE_MODULE_FILES.stream().filter(f -> !Files.isRegularFile(nodeDir.resolve("node_modules").resolve(f))).toList();
    }

    private static void ensureNodeModules() throws InterruptedException {
        Path nodeDir = nodeDir();
        List<String> missing = missingNodeModules(nodeDir);
        if (missing.isEmpty()) {
            return;
        }
        Path npm = findOnPath("npm").orElseGet(() -> unavailable(
                "src/test/node/node_modules lacks " + missing + " and `npm` was not found on PATH."));
        List<String> command = new ArrayList<>();
        command.add(npm.toString());
        command.addAll(NPM_INSTALL);
        ProcessBuilder builder = new ProcessBuilder(command).directory(nodeDir.toFile()).redirectErrorStream(true);
        Process install;
        try {
            install = builder.start();
            install.getOutputStream().close();
        } catch (IOException e) {
            unavailable("could not run `npm ci` in " + nodeDir + ": " + e);
            return;
        }
        StringBuilder output = new StringBuilder();
        Thread pump = pump(install.getInputStream(), output, false);
        if (!install.waitFor(NPM_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            install.descendants().forEach(ProcessHandle::destroyForcibly);
            install.destroyForcibly();
            unavailable("`npm ci` in " + nodeDir + " did not finish within " + NPM_TIMEOUT.toMinutes() + " min.");
        }
        pump.join(DRAIN_TIMEOUT.toMillis());
        if (install.exitValue() != 0 || !missingNodeModules(nodeDir).isEmpty()) {
            synchronized (output) {
                unavailable("`npm ci` in " + nodeDir + " failed (exit code " + install.exitValue() + ", missing "
                        + missingNodeModules(nodeDir) + "):\n" + tail(output.toString()));
            }
        }
    }

    private static int nodeMajorVersion(Path node) throws InterruptedException {
        Result version = run(List.of(node.toString(), "--version"), Map.of(), CHECK_TIMEOUT, false);
        String text = version.stdout().strip();
        try {
            return Integer.parseInt(text.replaceFirst("^v", "").split("\\.")[0]);
        } catch (RuntimeException e) {
            return unavailable("`node --version` printed `" + text + "`.");
        }
    }

    private static JsonNode lastJsonLine(String stdout, int code, String stderr) {
        String last = null;
        for (String line : stdout.split("\\R")) {
            if (!line.isBlank()) {
                last = line.strip();
            }
        }
        String context = "\n--- exit code " + code + " ---\n--- stdout ---\n" + tail(stdout)
                + "\n--- stderr ---\n" + tail(stderr);
        if (last == null) {
            throw new AssertionError("the browser test printed nothing on stdout" + context);
        }
        try {
            JsonNode node = new ObjectMapper().readTree(last);
            if (node == null || !node.isObject() || !node.path("steps").isArray()) {
                throw new AssertionError("the last stdout line is not a result object: " + last + context);
            }
            return node;
        } catch (IOException e) {
            throw new AssertionError("the last stdout line is not JSON (" + e.getMessage() + "): " + last + context, e);
        }
    }

    private static Thread pump(InputStream in, StringBuilder sink, boolean echo) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    synchronized (sink) {
                        sink.append(line).append('\n');
                    }
                    if (echo && !line.startsWith("[browser-test] lab:")) {
                        // progress of the steps, for whoever watches the build
                        System.err.println(line);
                    }
                }
            } catch (IOException e) {
                synchronized (sink) {
                    sink.append("[reading failed: ").append(e).append("]\n");
                }
            }
        }, "browser test output");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static String javaExecutable() {
        Path fromHome = Path.of(System.getProperty("java.home"), "bin", "java");
        return Files.isExecutable(fromHome) ? fromHome.toString()
                : ProcessHandle.current().info().command().orElse("java");
    }

    /** PATH plus the sbin folders, where Debian puts `ip` (not on a normal user's PATH). */
    static Optional<Path> findOnPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin:/sbin";
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path file = Path.of(dir, name);
            if (Files.isRegularFile(file) && Files.isExecutable(file)) {
                return Optional.of(file.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    private static String tail(String text) {
        return text.length() <= TAIL_CHARS ? text
                : "[... " + (text.length() - TAIL_CHARS) + " characters before]\n" + text.substring(text.length() - TAIL_CHARS);
    }
}
