package org.btrelay.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StaticResourcesTest {
    @Test
    void theHelperModuleAndTheDemoPageAreServed() throws Exception {
        try (RelayFixture relay = new RelayFixture()) {
            HttpResponse<byte[]> js = relay.get("/relay-client.js");
            assertThat(js.statusCode()).isEqualTo(200);
            assertThat(js.headers().firstValue("content-type").orElse("")).startsWith("text/javascript");
            assertThat(js.headers().firstValue("access-control-allow-origin")).hasValue("*");
            assertThat(new String(js.body(), StandardCharsets.UTF_8)).contains("export class RelayClient")
                    .contains("export async function rendezvous");

            HttpResponse<byte[]> demo = relay.get("/demo");
            assertThat(demo.statusCode()).isEqualTo(200);
            assertThat(new String(demo.body(), StandardCharsets.UTF_8)).contains("import { RelayClient } from '/relay-client.js'");
        }
    }
}
