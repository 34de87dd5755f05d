package org.btrelay.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real webtorrent (the npm browser bundle, 2.8.5 and 3.0.21) in two real headless Chromium
 * processes exchanges a generated 1 MiB file through the packaged relay's WebSocket tracker, all
 * inside a loopback-only network namespace ({@code src/test/node/browser/run-in-netns.sh transfer},
 * which runs {@code transfer.mjs}). See docs/browser-tests.md. Skipped locally, failed in CI, when a tool is
 * missing (see {@link BrowserRun}).
 */
class BrowserTransferIT {

    /** Step names printed by transfer.mjs (its STEP_NAMES), in order. */
    private static final List<String> EXPECTED_STEPS = List.of(
            "page-server", "browser-a-start", "browser-b-start", "seed", "download", "verify-sha1", "teardown");

    @ParameterizedTest(name = "webtorrent {0}")
    @ValueSource(strings = {"2", "3"})
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // an npm install may come first; the run itself is killed after 170 s
    void twoChromiumBrowsersExchangeAFileThroughTheRelayTracker(String webtorrentMajor) throws Exception {
        BrowserRun.Runner runner = BrowserRun.prepare();
        Path jar = BrowserRun.baseDir().resolve("target/bittorrent-relay.jar");
        if (!Files.isRegularFile(jar)) {
            BrowserRun.unavailable(jar + " does not exist; build it first (`mvn package`, or run `mvn verify`).");
        }

        BrowserRun.Result result = runner.run("transfer", jar.toString(), webtorrentMajor);
        result.assertPassed(EXPECTED_STEPS);

        JsonNode sha1 = result.json().path("sha1");
        assertThat(sha1.path("expected").asText()).as("SHA-1 of the generated file%s", result.context())
                .matches("[0-9a-f]{40}");
        assertThat(sha1.path("downloaded").asText()).as("SHA-1 of what browser B downloaded%s", result.context())
                .isEqualTo(sha1.path("expected").asText());
        assertThat(sha1.path("seeded").asText()).as("SHA-1 of what browser A seeded%s", result.context())
                .isEqualTo(sha1.path("expected").asText());
        assertThat(result.json().path("tracker").asText()).as("tracker").startsWith("ws://127.0.0.1:");
        assertThat(result.json().path("webtorrent").asText()).as("webtorrent version in the pages%s", result.context())
                .startsWith(webtorrentMajor + ".");

        JsonNode timings = result.json().path("timings");
        System.out.println("browser transfer through " + result.json().path("tracker").asText()
                + " (Chromium " + result.json().path("chromium").asText()
                + ", webtorrent " + result.json().path("webtorrent").asText() + "): 1 MiB in "
                + timings.path("transferMs").asLong() + " ms; browsers' run " + timings.path("runMs").asLong()
                + " ms\n" + result.describeSteps());
    }
}
