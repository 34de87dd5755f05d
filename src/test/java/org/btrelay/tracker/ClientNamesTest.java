package org.btrelay.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientNamesTest {

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', value = {
        "-WW0208-abcdefghijkl | WebTorrent          | 2.8",
        "-WW0300-abcdefghijkl | WebTorrent          | 3.0",
        "-WW0110-abcdefghijkl | WebTorrent          | 1.10",
        "-WD0021-abcdefghijkl | WebTorrent Desktop  | 0.21",
        "-WD0024-abcdefghijkl | WebTorrent Desktop  | 0.24",
        "-qB4510-abcdefghijkl | qBittorrent         | 4.5.1.0",
        "-TR2940-abcdefghijkl | Transmission        | 2.9.4.0",
        "-UT355W-abcdefghijkl | µTorrent            | 3.5.5.32",
        "-XX1234-abcdefghijkl | XX                  | 1.2.3.4",
        "-qB4.5.-abcdefghijkl | qBittorrent         | unknown",
        "M7-2-2--abcdefghijkl | unknown             | unknown",
        "01234567890123456789 | unknown             | unknown",
        "-W!0208-abcdefghijkl | unknown             | unknown",
        "-WW0208xabcdefghijkl | unknown             | unknown",
    })
    void namesTheClientFromAnAzureusStylePeerId(String peerId, String name, String version) {
        assertThat(ClientNames.of(TrackerHarness.latin1(peerId)))
                .isEqualTo(new ClientNames.Client(name, version));
    }
}
