package org.btrelay.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.control.Button;
import javafx.scene.control.TableView;
import org.btrelay.app.RelaySettings;
import org.btrelay.app.SettingsStore;
import org.btrelay.mesh.MeshTiming;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SwarmsViewTest {
    @TempDir
    Path dir;

    @Test
    void joinAndLeaveSwarmsWithOneClickLiveAndRemembered() throws Exception {
        try (DashboardFixture f = DashboardFixture.start(DashboardFixture.loopback(List.of(), List.of()), dir,
                MeshTiming.DEFAULTS)) {
            assertThat(f.node().mesh().selfRecord().swarms()).isEmpty();
            f.show("swarms");
            Button joinDefault = f.lookup("#join-default", Button.class);
            f.robot.clickOn(joinDefault);
            f.await("the relay to serve the default swarm",
                    () -> f.node().mesh().selfRecord().swarms().contains(RelaySettings.DEFAULT_SWARM));
            f.awaitFx("the button to say joined", () -> joinDefault.isDisabled() && "Joined".equals(joinDefault.getText()));
            assertThat(saved().swarms()).containsExactly(RelaySettings.DEFAULT_SWARM);

            f.robot.clickOn("#swarm-key").write("my-site-relays");
            f.robot.clickOn("#join-key");
            f.await("the relay to serve my-site-relays",
                    () -> f.node().mesh().selfRecord().swarms().contains("my-site-relays"));
            @SuppressWarnings("unchecked")
            TableView<Object> table = f.lookup("#swarms-table", TableView.class);
            f.awaitFx("two rows", () -> table.getItems().size() == 2);
            assertThat(saved().swarms()).containsExactly(RelaySettings.DEFAULT_SWARM, "my-site-relays");

            f.robot.clickOn("#leave-" + RelaySettings.DEFAULT_SWARM);
            f.await("the relay to leave the default swarm",
                    () -> !f.node().mesh().selfRecord().swarms().contains(RelaySettings.DEFAULT_SWARM));
            f.awaitFx("one row", () -> table.getItems().size() == 1);
            assertThat(saved().swarms()).containsExactly("my-site-relays");
            f.awaitFx("the default button back", () -> !joinDefault.isDisabled());
        }
    }

    private RelaySettings saved() throws Exception {
        assertThat(Files.exists(dir.resolve(SettingsStore.FILE_NAME))).isTrue();
        return new SettingsStore(dir).load(null);
    }
}
