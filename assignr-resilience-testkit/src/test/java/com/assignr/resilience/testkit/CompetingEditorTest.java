package com.assignr.resilience.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The competing editor: each of the next N reads of a game is overtaken by another user's edit. */
@Timeout(30)
class CompetingEditorTest {

  @RegisterExtension
  static final AssignrSimulatorExtension SIM = AssignrSimulatorExtension.of(
      AssignrSimulator.builder().sites(1).gamesPerSite(3).rateLimits(List.of()));

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Http http = Http.plain();

  private JsonNode read(long id) throws Exception {
    return JSON.readTree(http.get(SIM.baseUrl() + "/games/" + id).body());
  }

  private int write(long id, long lockVersion, String venue) {
    return http.put(SIM.baseUrl() + "/games/" + id, "{\"game\":{\"date\":\"2025-09-06\",\"start_time\":\"08:00\","
        + "\"venue\":\"" + venue + "\",\"lock_version\":" + lockVersion + "}}").statusCode();
  }

  @Test
  void eachOfTheNextReadsIsFollowedByAnEditSoTheWriteAfterItIsStale() throws Exception {
    AssignrSimulator sim = SIM.simulator();
    sim.competingEditor(1001, 2);

    JsonNode first = read(1001);
    assertEquals(0, first.get("lock_version").asLong(), "the reader sees the version before the edit");
    assertEquals(1, sim.lockVersion(1001), "the other user saved right after the read");
    assertEquals("Edited by another user (1)", sim.gameAttribute(1001, "notes"));
    assertEquals(409, write(1001, 0, "Mine"));

    JsonNode second = read(1001);
    assertEquals(1, second.get("lock_version").asLong());
    assertEquals(409, write(1001, 1, "Mine"));

    JsonNode third = read(1001);
    assertEquals(2, third.get("lock_version").asLong());
    assertEquals("Edited by another user (2)", third.get("notes").asText());
    assertEquals(200, write(1001, 2, "Mine"));
    assertEquals(3, sim.lockVersion(1001));
    assertEquals("Mine", sim.gameAttribute(1001, "venue"));
    assertEquals("Edited by another user (2)", sim.gameAttribute(1001, "notes"), "the other change kept");

    assertEquals(List.of(new GameWrite(1001, 0, 1, 409), new GameWrite(1001, 1, 2, 409),
        new GameWrite(1001, 2, 2, 200)), sim.gameWrites());
    assertEquals(0, read(1002).get("lock_version").asLong(), "other games are not edited");
    assertEquals(0, sim.lockVersion(1002));
  }

  @Test
  void aWriteWithoutLockVersionIsLoggedAsSuch() {
    AssignrSimulator sim = SIM.simulator();
    assertEquals(422, http.put(SIM.baseUrl() + "/games/1001",
        "{\"game\":{\"date\":\"2025-09-06\",\"start_time\":\"08:00\"}}").statusCode());
    assertEquals(List.of(new GameWrite(1001, -1, 0, 422)), sim.gameWrites());
    assertThrows(IllegalArgumentException.class, () -> sim.competingEditor(1001, 0));
  }
}
