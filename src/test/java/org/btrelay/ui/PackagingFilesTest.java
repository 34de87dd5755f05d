package org.btrelay.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * The installers' files name each other and the code: the menu entry names the window class, the
 * icon and the launcher; the AppStream file names the menu entry; the systemd unit runs the
 * launcher headless. A rename on one side must not silently break the desktop integration.
 */
class PackagingFilesTest {
    private static final Path LINUX = Path.of("packaging/linux/system");
    private static final String ID = "org.btrelay.BittorrentRelay";

    @Test
    void menuEntryMatchesTheWindowTheIconAndTheLauncher() throws IOException {
        Map<String, String> entry = desktopEntry(LINUX.resolve(ID + ".desktop"));

        // Desktops match a window to its menu entry by WM_CLASS, which JavaFX takes from the
        // Application class.
        assertThat(entry).containsEntry("StartupWMClass", DashboardApp.class.getName());
        assertThat(entry).containsEntry("Exec", "/opt/bittorrent-relay/bin/bittorrent-relay");
        assertThat(entry).containsEntry("Icon", "bittorrent-relay");
        assertThat(entry).containsEntry("Type", "Application");
        assertThat(entry.get("Categories")).contains("Network");
        String integrate = Files.readString(LINUX.resolve("integrate.sh"));
        assertThat(integrate).contains("apps/bittorrent-relay.png").contains("ID=" + ID);
    }

    @Test
    void appStreamFileNamesTheMenuEntryAndTheCommand() throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(LINUX.resolve(ID + ".metainfo.xml").toFile());
        assertThat(text(doc, "id")).isEqualTo(ID);
        assertThat(text(doc, "launchable")).isEqualTo(ID + ".desktop");
        assertThat(text(doc, "binary")).isEqualTo("bittorrent-relay");
        assertThat(doc.getElementsByTagName("release").item(0).getAttributes().getNamedItem("version")
                .getNodeValue()).isEqualTo("${installer.version}");
    }

    @Test
    void serviceRunsTheInstalledLauncherHeadlessAsItsOwnUser() throws IOException {
        Map<String, String> unit = desktopEntry(LINUX.resolve("bittorrent-relay.service"));
        assertThat(unit.get("ExecStart"))
                .isEqualTo("/opt/bittorrent-relay/bin/bittorrent-relay --headless --data-dir /var/lib/bittorrent-relay");
        assertThat(unit).containsEntry("User", "bittorrent-relay").containsEntry("StateDirectory", "bittorrent-relay");
        String integrate = Files.readString(LINUX.resolve("integrate.sh"));
        assertThat(integrate).contains("USER=bittorrent-relay").contains("--home-dir /var/lib/bittorrent-relay");
    }

    @Test
    void everyIconSizeIsRenderedAndTheWindowIconsAreTheSame() throws IOException {
        for (int size : List.of(16, 24, 32, 48, 64, 128, 256, 512, 1024)) {
            Path png = Path.of("icons/png/bittorrent-relay-" + size + ".png");
            var image = ImageIO.read(png.toFile());
            assertThat(image.getWidth()).as(png.toString()).isEqualTo(size);
            assertThat(image.getHeight()).as(png.toString()).isEqualTo(size);
        }
        for (int size : List.of(16, 32, 64, 128, 256)) {
            assertThat(Path.of("src/main/resources/org/btrelay/ui/icons/app-" + size + ".png"))
                    .hasSameBinaryContentAs(Path.of("icons/png/bittorrent-relay-" + size + ".png"));
        }
        // ICO starts 00 00 01 00, ICNS with "icns" and its total length.
        byte[] ico = Files.readAllBytes(Path.of("icons/bittorrent-relay.ico"));
        assertThat(ico).startsWith(0, 0, 1, 0);
        byte[] icns = Files.readAllBytes(Path.of("icons/bittorrent-relay.icns"));
        assertThat(new String(icns, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("icns");
        int length = ((icns[4] & 0xff) << 24) | ((icns[5] & 0xff) << 16) | ((icns[6] & 0xff) << 8) | (icns[7] & 0xff);
        assertThat(length).isEqualTo(icns.length);
    }

    @Test
    void everyJpackageArgumentFileThePomNamesExists() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher os = Pattern.compile("<installer.os>(\\w+)</installer.os>").matcher(pom);
        int found = 0;
        while (os.find()) {
            found++;
            for (String step : List.of("app-image.args", "installer.args")) {
                assertThat(Path.of("packaging", os.group(1), step)).isRegularFile();
            }
        }
        assertThat(found).isEqualTo(3);
        try (Stream<Path> args = Files.walk(Path.of("packaging"))) {
            for (Path file : args.filter(p -> p.toString().endsWith(".args")).toList()) {
                // Paths inside argument files are relative to the project folder.
                Matcher path = Pattern.compile("(packaging/[\\w./-]+)").matcher(Files.readString(file));
                while (path.find()) {
                    assertThat(Path.of(path.group(1))).as("named in " + file).exists();
                }
            }
        }
    }

    private static String text(Document doc, String tag) {
        return doc.getElementsByTagName(tag).item(0).getTextContent().trim();
    }

    /** key=value lines of a desktop entry or a systemd unit (sections ignored, last one wins). */
    private static Map<String, String> desktopEntry(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && !line.startsWith("[") && eq > 0) {
                values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return values;
    }
}
