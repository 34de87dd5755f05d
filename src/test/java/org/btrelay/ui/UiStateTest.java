package org.btrelay.ui;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.btrelay.app.RelaySettings;
import org.btrelay.ui.common.TimeSeries;
import org.btrelay.ui.log.LogBuffer;
import org.btrelay.ui.service.NodeService;
import org.btrelay.ui.service.UiPrefs;
import org.btrelay.ui.service.UiPrefsStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The dashboard's bounded state and small stores, without a window. */
class UiStateTest {
    @TempDir
    Path dir;

    @Test
    void windowPrefsRoundTripAndABrokenFileGivesDefaults() throws Exception {
        UiPrefsStore store = new UiPrefsStore(dir);
        assertThat(store.load()).isEqualTo(UiPrefs.DEFAULTS);
        UiPrefs p = UiPrefs.DEFAULTS.withBounds(-1200, 40, 1000, 700, false).withDark(true).withKeepRunning(true);
        store.save(p);
        assertThat(store.load()).isEqualTo(p);
        store.save(UiPrefs.DEFAULTS);
        assertThat(store.load()).isEqualTo(UiPrefs.DEFAULTS);
        assertThat(Files.list(dir).map(f -> f.getFileName().toString()).toList()).containsExactly(UiPrefsStore.FILE_NAME);
        Files.writeString(store.file(), "{\"width\": 1e9, \"dark\": true");
        assertThat(store.load()).isEqualTo(UiPrefs.DEFAULTS);
        Files.writeString(store.file(), "{\"width\": 1e9, \"height\": 20, \"dark\": true}");
        assertThat(store.load()).isEqualTo(UiPrefs.DEFAULTS.withDark(true));
    }

    @Test
    void logBufferKeepsTheNewestLinesOnly() {
        LogBuffer b = new LogBuffer(5);
        b.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        b.start();
        ch.qos.logback.classic.Logger logger = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("t");
        for (int i = 1; i <= 12; i++) {
            b.doAppend(new LoggingEvent("t", logger, Level.INFO, "line " + i, null, null));
        }
        List<LogBuffer.Line> all = b.since(0);
        assertThat(all).extracting(LogBuffer.Line::message).containsExactly("line 8", "line 9", "line 10", "line 11", "line 12");
        assertThat(b.since(10)).extracting(LogBuffer.Line::message).containsExactly("line 11", "line 12");
        assertThat(b.since(12)).isEmpty();
        b.doAppend(new LoggingEvent("t", logger, Level.WARN, "x".repeat(10_000), null, null));
        assertThat(b.since(12).get(0).message().length()).isLessThan(2100);
    }

    @Test
    void chartSeriesKeepTenMinutes() {
        TimeSeries s = new TimeSeries(Duration.ofMinutes(10), "a", "b");
        long t0 = 1_000_000_000_000L;
        for (int i = 0; i <= 1800; i++) {
            s.add(t0 + i * 1000L, i, 2 * i);
        }
        // One point a second for 30 minutes: only the last ten minutes (and the point at the edge) stay.
        assertThat(s.series().get(0).getData()).hasSize(601);
        assertThat(s.series().get(0).getData().get(0).getXValue().doubleValue()).isEqualTo((t0 + 1200_000L) / 1000.0);
        assertThat(s.upperBound().get() - s.lowerBound().get()).isEqualTo(600.0);
    }

    @Test
    void onlySwarmsApplyWithoutARestart() {
        RelaySettings a = RelaySettings.defaults();
        assertThat(NodeService.needRestart(a, a.withMesh(List.of("x", "y"), a.bootstrap(), a.peers()))).isEmpty();
        assertThat(NodeService.needRestart(a, a.withName("other").withNetwork("127.0.0.1", 1, true, -1)))
                .containsExactly("name", "host", "port");
        assertThat(NodeService.needRestart(null, a)).isEmpty();
    }
}
