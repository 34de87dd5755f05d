package org.btrelay.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.btrelay.io.AtomicFiles;

/**
 * Reads and writes {@code settings.json}. Settings are layered as JSON trees: the defaults, then
 * the file, then the command line; a key that is absent keeps the value below it, and an unknown
 * key is an error (a typo should not be silently ignored).
 */
public final class SettingsStore {
    public static final String FILE_NAME = "settings.json";

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;

    public SettingsStore(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME);
    }

    public Path file() {
        return file;
    }

    /**
     * Loads the file over the defaults, then applies {@code overrides} (same shape, e.g. from the
     * command line).
     *
     * @throws SettingsException with a one-line message when the file or the result is invalid
     */
    public RelaySettings load(ObjectNode overrides) throws SettingsException {
        ObjectNode tree = JSON.valueToTree(RelaySettings.defaults());
        if (Files.exists(file)) {
            JsonNode fromFile;
            try {
                fromFile = JSON.readTree(file.toFile());
            } catch (IOException e) {
                throw new SettingsException(file + " is not valid JSON: " + oneLine(e));
            }
            if (fromFile == null || !fromFile.isObject()) {
                throw new SettingsException(file + " must hold a JSON object");
            }
            merge(tree, (ObjectNode) fromFile);
        }
        if (overrides != null) {
            merge(tree, overrides);
        }
        RelaySettings settings;
        try {
            settings = JSON.treeToValue(tree, RelaySettings.class);
        } catch (JsonProcessingException e) {
            throw new SettingsException("invalid settings in " + file + ": " + oneLine(e));
        }
        if (!settings.problems().isEmpty()) {
            throw new SettingsException("invalid settings: " + String.join("; ", settings.problems()));
        }
        return settings;
    }

    /** Writes the settings atomically (a temporary file moved over the old one). */
    public void save(RelaySettings settings) throws IOException {
        AtomicFiles.write(file, JSON.writeValueAsBytes(settings));
    }

    /** Writes the defaults when there is no settings file yet, so users can see what to edit. */
    public void createIfMissing() throws IOException {
        if (!Files.exists(file)) {
            save(RelaySettings.defaults());
        }
    }

    /** Deep merge: objects merge key by key, anything else replaces. */
    static void merge(ObjectNode into, ObjectNode from) {
        Iterator<Map.Entry<String, JsonNode>> it = from.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode existing = into.get(e.getKey());
            if (existing instanceof ObjectNode target && e.getValue() instanceof ObjectNode source) {
                merge(target, source);
            } else {
                into.set(e.getKey(), e.getValue());
            }
        }
    }

    private static String oneLine(Exception e) {
        String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.replaceAll("\\s+", " ").trim();
    }

    /** Settings that cannot be used; the message is one line, for the user. */
    public static final class SettingsException extends Exception {
        public SettingsException(String message) {
            super(message);
        }
    }
}
