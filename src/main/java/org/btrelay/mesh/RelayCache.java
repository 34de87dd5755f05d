package org.btrelay.mesh;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.btrelay.io.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code relays.json} in the data folder: the known relays' signed records and where they were
 * reached, so that a restarted relay dials them at once instead of waiting for the DHT. Written
 * atomically; a damaged file only costs rediscovery.
 */
final class RelayCache {
    private static final Logger log = LoggerFactory.getLogger(RelayCache.class);
    static final String FILE_NAME = "relays.json";

    /** What the file holds per relay. */
    record Cached(RelayRecord record, String address, long lastSeen) {}

    private final Path file;
    private final ObjectMapper json;

    RelayCache(Path file, ObjectMapper json) {
        this.file = file;
        this.json = json;
    }

    /**
     * The valid records in the file, at most {@code max}, without this relay's own; empty when
     * there is no file or it cannot be read.
     */
    List<Cached> load(String selfId, long nowMillis, int max) {
        List<Cached> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        try {
            Cached[] cached = json.readValue(Files.readAllBytes(file), Cached[].class);
            for (Cached c : cached) {
                if (out.size() >= max) {
                    break;
                }
                if (c == null || c.record() == null || !c.record().problems(nowMillis).isEmpty()
                        || c.record().id().equals(selfId)) {
                    continue;
                }
                out.add(c);
            }
        } catch (IOException e) {
            // Keep the file for inspection.
            log.warn("ignoring unreadable {}: {}", file, e.getMessage());
        }
        return out;
    }

    /** Returns whether the file was written. */
    boolean save(Collection<Directory.Entry> entries) {
        List<Cached> out = new ArrayList<>();
        for (Directory.Entry e : entries) {
            if (e.record != null) {
                out.add(new Cached(e.record, e.address, e.lastSeen));
            }
        }
        try {
            AtomicFiles.write(file, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(out));
            return true;
        } catch (IOException e) {
            log.warn("cannot save known relays to {}: {}", file, e.getMessage());
            return false;
        }
    }

    Path file() {
        return file;
    }
}
