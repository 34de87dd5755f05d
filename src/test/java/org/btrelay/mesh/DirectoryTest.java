package org.btrelay.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.btrelay.health.Capacity;
import org.btrelay.health.Health;
import org.junit.jupiter.api.Test;

class DirectoryTest {
    static RelayRecord record(Identity who, String name, long timestamp, List<String> trackers) {
        return RelayRecord.create(who, name, "test", null, trackers, List.of("bittorrent-relay"), timestamp);
    }

    static Health health(int peers) {
        return new Health(0.1, 0.1, 1, 2, 1, 2, 0, peers, 0, 0, 0, 1, Capacity.OK, System.currentTimeMillis());
    }

    static Link someLink() {
        return new Link(null, true, null, "n", null, null, new TokenBucket(1, 1, 0));
    }

    @Test
    void whenFullTheRelaySeenLongestAgoWithoutALinkMakesRoom() {
        Directory d = new Directory(3);
        long now = System.currentTimeMillis();
        Identity a = Identity.ephemeral();
        Identity b = Identity.ephemeral();
        Identity c = Identity.ephemeral();
        d.learn(record(a, "a", now, List.of()), null).lastSeen = 100;
        d.learn(record(b, "b", now, List.of()), null).lastSeen = 50;
        Directory.Entry ce = d.learn(record(c, "c", now, List.of()), null);
        ce.lastSeen = 10;
        ce.link = someLink();

        Identity newcomer = Identity.ephemeral();
        assertThat(d.learn(record(newcomer, "new", now, List.of()), null)).isNotNull();
        assertThat(d.get(b.id())).as("oldest without a link").isNull();
        assertThat(d.get(c.id())).as("older, but linked").isNotNull();
        assertThat(d.get(a.id())).isNotNull();
        assertThat(d.size()).isEqualTo(3);
    }

    @Test
    void aDirectoryOfLinkedRelaysRefusesMore() {
        Directory d = new Directory(1);
        long now = System.currentTimeMillis();
        d.learn(record(Identity.ephemeral(), "linked", now, List.of()), null).link = someLink();
        assertThat(d.learn(record(Identity.ephemeral(), "more", now, List.of()), null)).isNull();
        assertThat(d.size()).isEqualTo(1);
    }

    @Test
    void aNewerRecordReplacesAnOlderOneAndNotTheOtherWayRound() {
        Directory d = new Directory();
        Identity a = Identity.ephemeral();
        long now = System.currentTimeMillis();
        d.learn(record(a, "v2", now, List.of()), "127.0.0.9:1");
        d.saved();
        d.learn(record(a, "v1", now - 1000, List.of()), "127.0.0.9:2");
        assertThat(d.get(a.id()).record.name()).isEqualTo("v2");
        assertThat(d.get(a.id()).address).as("the first address is kept").isEqualTo("127.0.0.9:1");
        assertThat(d.isDirty()).as("nothing new to save").isFalse();
        d.learn(record(a, "v3", now + 1000, List.of()), null);
        assertThat(d.get(a.id()).record.name()).isEqualTo("v3");
        assertThat(d.isDirty()).isTrue();
    }

    @Test
    void healthHistoryIsBounded() {
        Directory d = new Directory();
        Identity a = Identity.ephemeral();
        Directory.Entry e = d.learn(record(a, "a", System.currentTimeMillis(), List.of()), null);
        for (int i = 0; i < Directory.HISTORY + 30; i++) {
            d.health(e, health(i), i);
        }
        List<Health> h = d.history(a.id());
        assertThat(h).hasSize(Directory.HISTORY);
        assertThat(h.get(0).peers()).as("oldest kept").isEqualTo(30);
        assertThat(h.get(h.size() - 1).peers()).isEqualTo(Directory.HISTORY + 29);
        assertThat(d.history("unknown")).isEmpty();
    }

    @Test
    void viewsListThisRelayFirstAndATrackerWhereARelayWasReachedWhenItNamesNone() {
        Directory d = new Directory();
        Identity me = Identity.ephemeral();
        Identity a = Identity.ephemeral();
        long now = System.currentTimeMillis();
        Directory.Entry e = d.learn(record(a, "a", now, List.of()), "127.0.0.7:5000");
        d.state(e, RelayState.DOWN);
        assertThat(d.takeChanged()).isTrue();
        assertThat(d.takeChanged()).isFalse();

        List<RelayView> views = d.views(record(me, "me", now, List.of("ws://127.0.0.1:1/announce")), null, now);
        assertThat(views).hasSize(2);
        assertThat(views.get(0).self()).isTrue();
        assertThat(views.get(0).state()).isEqualTo("linked");
        assertThat(views.get(1).relayState()).isEqualTo(RelayState.DOWN);
        assertThat(views.get(1).state()).isEqualTo("down");
        assertThat(views.get(1).trackers()).containsExactly("ws://127.0.0.7:5000/announce");
    }
}
