package org.btrelay.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;
import org.btrelay.app.RelayNode;
import org.btrelay.app.SettingsStore;
import org.btrelay.mesh.MeshTiming;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsViewTest {
    @TempDir
    Path dir;

    @Test
    void invalidSettingsShowWhyAndAreNotSaved() throws Exception {
        try (DashboardFixture f = DashboardFixture.start(DashboardFixture.loopback(List.of(), List.of()), dir,
                MeshTiming.DEFAULTS)) {
            Path file = dir.resolve(SettingsStore.FILE_NAME);
            assertThat(file).doesNotExist();
            f.show("settings");
            replace(f, "#settings-port", "70000");
            replace(f, "#settings-name", "");
            type(f, "#limit-maxConnections", "lots");
            f.robot.clickOn("#settings-save");
            f.awaitFx("the problems shown", () -> f.lookup("#settings-errors-box", VBox.class).isVisible()
                    && f.lookup("#settings-errors", Label.class).getText().contains("limits.maxConnections must be a whole number"));
            type(f, "#limit-maxConnections", "1000");
            f.robot.clickOn("#settings-save");
            f.awaitFx("the problems from the relay's own checks", () -> {
                String text = f.lookup("#settings-errors", Label.class).getText();
                return text.contains("port must be between 0 and 65535 (is 70000)")
                        && text.contains("name must be 1 to 64 characters");
            });
            assertThat(f.fx(() -> f.lookup("#settings-port", TextField.class).getPseudoClassStates().stream()
                    .anyMatch(p -> p.getPseudoClassName().equals("danger")))).isTrue();
            assertThat(f.fx(() -> f.lookup("#settings-message", Label.class).getText())).startsWith("Not saved");
            Thread.sleep(300);
            assertThat(file).doesNotExist();
        }
    }

    @Test
    void validSettingsAreSavedAndTheRelayRestartsOnRequest() throws Exception {
        try (DashboardFixture f = DashboardFixture.start(DashboardFixture.loopback(List.of(), List.of()), dir,
                MeshTiming.DEFAULTS)) {
            RelayNode before = f.node();
            f.show("settings");
            replace(f, "#settings-name", "renamed relay");
            f.robot.clickOn("#settings-save");
            Path file = dir.resolve(SettingsStore.FILE_NAME);
            f.await("settings.json", () -> Files.exists(file));
            assertThat(new SettingsStore(dir).load(null).name()).isEqualTo("renamed relay");
            f.awaitFx("the restart offer", () -> f.lookup("#settings-restart", Button.class).isVisible()
                    && f.lookup("#settings-restart-text", Label.class).getText().contains("name"));
            assertThat(f.node()).isSameAs(before);

            f.robot.clickOn("#settings-restart");
            f.await("a new relay", () -> f.node() != null && f.node() != before);
            assertThat(f.node().settings().name()).isEqualTo("renamed relay");
            assertThat(f.node().mesh().selfRecord().name()).isEqualTo("renamed relay");
            f.awaitFx("the restart offer gone", () -> f.lookup("#settings-restart-text", Label.class).getText().isEmpty());
        }
    }

    /** Fields further down the form: set as typed, without scrolling to them. */
    private static void type(DashboardFixture f, String field, String text) {
        f.fx(() -> {
            f.lookup(field, TextField.class).setText(text);
            return null;
        });
    }

    private static void replace(DashboardFixture f, String field, String text) {
        f.fx(() -> {
            f.lookup(field, TextField.class).setText("");
            return null;
        });
        f.robot.clickOn(field);
        if (!text.isEmpty()) {
            f.robot.write(text);
        }
    }
}
