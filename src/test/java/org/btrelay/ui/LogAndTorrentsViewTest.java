package org.btrelay.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import org.btrelay.mesh.MeshTiming;
import org.btrelay.tracker.Id20;
import org.btrelay.ui.log.LogBuffer;
import org.btrelay.ui.torrents.TorrentRow;
import org.btrelay.web.TestPeers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class LogAndTorrentsViewTest {
    @TempDir
    Path dir;

    @Test
    void torrentsTableShowsWhatBrowsersAnnounce() throws Exception {
        try (DashboardFixture f = DashboardFixture.start(DashboardFixture.loopback(List.of(), List.of()), dir,
                MeshTiming.DEFAULTS);
             TestPeers peers = TestPeers.announce(f.node().wsUrl() + "announce", 3)) {
            f.show("torrents");
            @SuppressWarnings("unchecked")
            TableView<TorrentRow> table = f.lookup("#torrents-table", TableView.class);
            f.awaitFx("three torrents", () -> table.getItems().size() == 3);
            List<String> hashes = f.fx(() -> table.getItems().stream().map(TorrentRow::infoHash).toList());
            assertThat(hashes).allMatch(h -> h.matches("[0-9a-f]{40}"));
            assertThat(hashes).contains(Id20.fromLatin1(idOf("torrent-0")).toHex());
            assertThat(f.fx(() -> table.getItems().get(0).seedersProperty().get())).isEqualTo(1);
        }
    }

    @Test
    void logTailsTheRelayAndFiltersByLevel() throws Exception {
        try (DashboardFixture f = DashboardFixture.start(DashboardFixture.loopback(List.of(), List.of()), dir,
                MeshTiming.DEFAULTS)) {
            f.show("log");
            @SuppressWarnings("unchecked")
            ListView<LogBuffer.Line> list = f.lookup("#log-list", ListView.class);
            f.awaitFx("the relay's start in the log", () -> list.getItems().stream()
                    .anyMatch(l -> l.message().contains("relay 'dashboard under test' listening")));
            LoggerFactory.getLogger("org.btrelay.test").warn("a warning for the log view");
            f.awaitFx("the warning", () -> list.getItems().stream().anyMatch(l -> l.message().contains("a warning for")));
            @SuppressWarnings("unchecked")
            ComboBox<String> level = f.lookup("#log-level", ComboBox.class);
            f.fx(() -> {
                level.setValue("WARN");
                return null;
            });
            f.awaitFx("only warnings and errors", () -> !list.getItems().isEmpty()
                    && list.getItems().stream().allMatch(l -> l.level().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN)));
            assertThat(f.fx(() -> list.getItems().stream().anyMatch(l -> l.message().contains("a warning for")))).isTrue();
        }
    }

    /** The 20-character id the test peers use for a label (as WsClient.id makes it). */
    private static String idOf(String label) {
        StringBuilder b = new StringBuilder(label);
        char fill = (char) (0xC0 + (label.hashCode() & 0x3F));
        while (b.length() < 20) {
            b.append(fill);
        }
        return b.substring(0, 20);
    }
}
