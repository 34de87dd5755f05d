package org.btrelay.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RelayCacheTest {
    @TempDir
    Path dir;

    @Test
    void savedRelaysComeBackWithoutThisRelayNorInvalidOnes() throws Exception {
        Identity me = Identity.ephemeral();
        Identity a = Identity.ephemeral();
        Identity b = Identity.ephemeral();
        long now = System.currentTimeMillis();
        Directory d = new Directory();
        d.learn(DirectoryTest.record(a, "a", now, List.of()), "127.0.0.8:1").lastSeen = 42;
        d.learn(DirectoryTest.record(b, "b", now, List.of()), null);
        d.learn(DirectoryTest.record(me, "me", now, List.of()), null);
        RelayCache cache = new RelayCache(dir.resolve(RelayCache.FILE_NAME), Mesh.JSON);
        assertThat(cache.save(d.all())).isTrue();

        List<RelayCache.Cached> back = cache.load(me.id(), now, 100);
        assertThat(back).extracting(c -> c.record().id()).containsExactlyInAnyOrder(a.id(), b.id());
        RelayCache.Cached ca = back.stream().filter(c -> c.record().id().equals(a.id())).findFirst().orElseThrow();
        assertThat(ca.address()).isEqualTo("127.0.0.8:1");
        assertThat(ca.lastSeen()).isEqualTo(42);
        assertThat(cache.load(me.id(), now, 1)).as("bounded").hasSize(1);
        assertThat(cache.load(me.id(), now + RelayRecord.MAX_AGE_MILLIS + 60_000, 100)).as("too old by now").isEmpty();
    }

    @Test
    void aMissingOrDamagedFileMeansNoRelays() throws Exception {
        RelayCache cache = new RelayCache(dir.resolve(RelayCache.FILE_NAME), Mesh.JSON);
        assertThat(cache.load("x", System.currentTimeMillis(), 100)).isEmpty();
        Files.writeString(cache.file(), "[{\"record\":");
        assertThat(cache.load("x", System.currentTimeMillis(), 100)).isEmpty();
        assertThat(cache.file()).as("kept for inspection").exists();
    }
}
