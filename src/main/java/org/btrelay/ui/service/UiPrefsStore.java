package org.btrelay.ui.service;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.btrelay.io.AtomicFiles;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes {@code dashboard.json} in the data folder, atomically. A missing or broken
 * file gives the defaults: window preferences are never worth refusing to start over.
 */
public final class UiPrefsStore {
    public static final String FILE_NAME = "dashboard.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;

    public UiPrefsStore(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME);
    }

    public Path file() {
        return file;
    }

    public UiPrefs load() {
        if (!Files.isRegularFile(file)) {
            return UiPrefs.DEFAULTS;
        }
        try {
            JsonNode tree = JSON.readTree(file.toFile());
            if (!(tree instanceof ObjectNode o)) {
                return UiPrefs.DEFAULTS;
            }
            ObjectNode merged = JSON.valueToTree(UiPrefs.DEFAULTS);
            merged.setAll(o);
            return JSON.treeToValue(merged, UiPrefs.class).sane();
        } catch (IOException | IllegalArgumentException e) {
            LoggerFactory.getLogger(UiPrefsStore.class).warn("ignoring {}: {}", file, e.getMessage());
            return UiPrefs.DEFAULTS;
        }
    }

    public void save(UiPrefs prefs) throws IOException {
        AtomicFiles.write(file, JSON.writeValueAsBytes(prefs));
    }
}
