package com.assignr.resilience.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class ExtensionLifecycleTest {

  @RegisterExtension
  AssignrSimulatorExtension perTest = AssignrSimulatorExtension.create();

  private final Http http = Http.plain();

  @RepeatedTest(2)
  void eachTestStartsFresh(AssignrSimulator sim) {
    assertEquals(0, sim.journal().count());
    assertEquals(0, sim.lockVersion(1001));
    http.put(sim.baseUrl() + "/games/1001",
        "{\"lock_version\":0,\"date\":\"2025-09-07\",\"start_time\":\"11:00\"}");
    assertEquals(1, sim.lockVersion(1001));
    assertEquals(1, perTest.journal().count());
  }

  @Test
  void theExtensionLoadsIntoAWireMockServerOfYourOwn() {
    AssignrSimulator sim = AssignrSimulator.builder().build();
    WireMockServer own = new WireMockServer(WireMockConfiguration.options().dynamicPort()
        .extensions(sim.wireMockExtension()));
    own.start();
    try {
      assertEquals(200, http.get(own.baseUrl() + "/api/v2/sites/1/games").statusCode());
      assertEquals(1, sim.journal().count("GET", "/api/v2/sites"));
      assertThrows(IllegalStateException.class, sim::baseUrl);
    } finally {
      own.stop();
    }
  }
}
