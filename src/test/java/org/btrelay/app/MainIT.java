package org.btrelay.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar as users run it: {@code java -jar target/bittorrent-relay.jar ...}. */
class MainIT {
    static final Pattern LISTENING = Pattern.compile("^listening (ws://127\\.0\\.0\\.1:(\\d+)/) (http://\\S+)$");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    /** A finished run: exit code and everything printed. */
    record Run(int exit, String out, String err) {}

    static Process start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // No name lookups at all: nothing may leave loopback.
        cmd.add("-Djdk.net.hosts.file=" + Path.of("target", "test-classes", "empty-hosts").toAbsolutePath());
        cmd.add("-jar");
        cmd.add(Path.of("target", "bittorrent-relay.jar").toAbsolutePath().toString());
        cmd.addAll(List.of(args));
        // These tests are about the command line and the tracker; the DHT would talk to the world.
        cmd.add("--no-dht");
        return new ProcessBuilder(cmd).start();
    }

    static Run run(String... args) throws Exception {
        Process p = start(args);
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("exits by itself").isTrue();
        return new Run(p.exitValue(), out.get(5, TimeUnit.SECONDS), err.get(5, TimeUnit.SECONDS));
    }

    static CompletableFuture<String> drain(java.io.InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }

    @Test
    void helpAndVersionWork() throws Exception {
        Run help = run("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--headless", "--port", "--host", "--data-dir", "--interval",
                "--public-url", "--name", "--limit", "maxConnectionsPerIp", "10509");

        Run version = run("--version");
        assertThat(version.exit()).isZero();
        assertThat(version.out().trim()).matches("bittorrent-relay \\S+");
    }

    @Test
    void badOptionsGiveOneLineAndExitCode2() throws Exception {
        for (String[] args : new String[][] {
                {"--headless", "--bogus"},
                {"--headless", "--port", "abc"},
                {"--headless", "--data-dir", dataDir.toString(), "--port", "70000"},
                {"--headless", "--data-dir", dataDir.toString(), "--limit", "noSuchLimit=3"},
                {"--headless", "--data-dir", dataDir.toString(), "--interval", "1"}}) {
            Run r = run(args);
            assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err().strip().lines().count()).as("one line: %s", r.err()).isEqualTo(1);
            assertThat(r.err()).startsWith("bittorrent-relay: ").doesNotContain("Exception", "\tat ");
        }
    }

    @Test
    void busyPortGivesOneLineAndExitCode2() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Run r = run("--headless", "--host", "127.0.0.1", "--port", Integer.toString(taken.getLocalPort()),
                    "--data-dir", dataDir.toString());
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort());
            assertThat(r.err().lines().filter(l -> l.startsWith("bittorrent-relay:")).count()).isEqualTo(1);
            assertThat(r.err()).doesNotContain("\tat ");
        }
    }

    @Test
    void invalidSettingsFileGivesOneLineAndExitCode2() throws Exception {
        for (String content : new String[] {"{not json", "{\"prot\": 1}", "{\"limits\": {\"maxFrameBytes\": 1}}", "[]"}) {
            Files.writeString(dataDir.resolve("settings.json"), content);
            Run r = run("--headless", "--port", "0", "--data-dir", dataDir.toString());
            assertThat(r.exit()).as(content).isEqualTo(2);
            assertThat(r.err().strip().lines().count()).as("one line: %s", r.err()).isEqualTo(1);
            assertThat(r.err()).contains("settings");
        }
    }

    @Test
    void headlessRelayServesUsesSettingsAndStopsCleanlyOnSigterm() throws Exception {
        Files.writeString(dataDir.resolve("settings.json"),
                "{\"name\": \"from file\", \"interval\": 60, \"limits\": {\"maxScrapeHashes\": 7}}");
        Process p = start("--headless", "--host", "127.0.0.1", "--port", "0", "--data-dir", dataDir.toString(),
                "--name", "from command line");
        CompletableFuture<String> err = drain(p.getErrorStream());
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String line = first.get(20, TimeUnit.SECONDS);
        Matcher m = LISTENING.matcher(line == null ? "" : line);
        assertThat(m.matches()).as("listening line: %s", line).isTrue();
        int port = Integer.parseInt(m.group(2));

        HttpResponse<String> stats = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stats.json")).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode s = JSON.readTree(stats.body());
        assertThat(s.path("name").asText()).isEqualTo("from command line");

        HttpResponse<byte[]> scrape = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/scrape")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(new String(scrape.body(), StandardCharsets.ISO_8859_1)).contains("min_request_intervali60e");

        p.toHandle().destroy(); // SIGTERM
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(err.get(5, TimeUnit.SECONDS)).contains("stopped").doesNotContain("Exception");
    }
}
