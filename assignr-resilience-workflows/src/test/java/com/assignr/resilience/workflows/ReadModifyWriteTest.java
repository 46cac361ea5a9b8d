package com.assignr.resilience.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.ConflictException;
import com.assignr.resilience.GatePolicy;
import com.assignr.resilience.InvalidSettingsException;
import com.assignr.resilience.testkit.GameWrite;
import com.assignr.resilience.testkit.RateLimitRule;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The 409 helper against the simulator (random port, virtual time), through the JDK adapter, with
 * Jackson 2 and with Gson as the caller's JSON. The simulator's log of writes is the oracle: which
 * lock_version each PUT carried against the one the game had.
 */
@Timeout(60)
class ReadModifyWriteTest {
  private static final ObjectMapper JACKSON = new ObjectMapper();
  private static final long GAME = 1001;

  private SimulatedAssignr assignr = new SimulatedAssignr(1, 5);

  @AfterEach
  void close() {
    assignr.close();
  }

  // The caller's side, with Jackson: read the game, put it back wrapped in {"game": ...}.
  private ObjectNode readGame() throws IOException {
    return (ObjectNode) JACKSON.readTree(assignr.get(assignr.url("/games/" + GAME)));
  }

  private JsonNode writeGame(ObjectNode game) throws IOException {
    ObjectNode body = JACKSON.createObjectNode();
    body.set("game", game);
    return JACKSON.readTree(assignr.put(assignr.url("/games/" + GAME), JACKSON.writeValueAsString(body)));
  }

  /** The change: move the kick-off to 10:00 (setting a value: the same record once applied). */
  private static ReadModifyWrite.Edit<ObjectNode> kickOffAtTen(ObjectNode fresh) {
    return ReadModifyWrite.Edit.write(fresh.deepCopy().put("start_time", "10:00"));
  }

  /** The change: append " (covered)" to the venue, unless it is there (a change that is not idempotent by itself). */
  private static ReadModifyWrite.Edit<ObjectNode> coverVenue(ObjectNode fresh) {
    String venue = fresh.path("venue").asText();
    return venue.endsWith(" (covered)") ? ReadModifyWrite.Edit.alreadyApplied()
        : ReadModifyWrite.Edit.write(fresh.deepCopy().put("venue", venue + " (covered)"));
  }

  private List<Long> sentLockVersions() {
    return assignr.sim.gameWrites().stream().map(GameWrite::sentLockVersion).collect(Collectors.toList());
  }

  @Test
  void withACompetingEditorTheChangeIsSavedInAtMostNPlusOneWritesEachWithTheFreshLockVersion() throws IOException {
    assignr.sim.competingEditor(GAME, 2);
    ReadModifyWrite rmw = ReadModifyWrite.builder().maxConflicts(3).timeSource(assignr.time).build();

    ReadModifyWrite.Result<ObjectNode, JsonNode> result = rmw.run(this::readGame, ReadModifyWriteTest::kickOffAtTen,
        this::writeGame);

    ReadModifyWrite.Saved<ObjectNode, JsonNode> saved = assertInstanceOf(ReadModifyWrite.Saved.class, result);
    assertEquals(3, saved.writes(), "two overtaken reads, then the save");
    assertEquals(2, saved.conflicts());
    assertTrue(saved.writes() <= rmw.maxConflicts() + 1);
    assertEquals("10:00", saved.written().path("start_time").asText());
    // Each write carried the lock_version of the read just before it (0, 1, 2), never one refused before.
    assertEquals(List.of(new GameWrite(GAME, 0, 1, 409), new GameWrite(GAME, 1, 2, 409), new GameWrite(GAME, 2, 2, 200)),
        assignr.sim.gameWrites());
    // The other editor's change is kept, and ours is in.
    assertEquals("Edited by another user (2)", assignr.sim.gameAttribute(GAME, "notes"));
    assertEquals("10:00", assignr.sim.gameAttribute(GAME, "start_time"));
    assertEquals(3, assignr.sim.lockVersion(GAME));
    assertEquals(3, assignr.sim.journal().count("GET", "/api/v2/games/" + GAME), "one read per write");
  }

  @Test
  void whenConflictsPersistItGivesUpAfterMaxConflictsWithATypedExceptionAndWritesNothingOfOurs() throws IOException {
    assignr.sim.competingEditor(GAME, 10);
    ReadModifyWrite rmw = ReadModifyWrite.builder().maxConflicts(2).timeSource(assignr.time).build();

    ConflictsPersistException e = assertThrows(ConflictsPersistException.class,
        () -> rmw.run(this::readGame, ReadModifyWriteTest::kickOffAtTen, this::writeGame));

    assertEquals(3, e.writes(), "maxConflicts + 1 writes");
    assertEquals(3, e.conflicts());
    assertInstanceOf(ConflictException.class, e.getCause());
    assertEquals(2, e.getSuppressed().length, "the earlier conflicts");
    assertTrue(e.getMessage().contains("3 writes and 3 conflicts (409)"), e.getMessage());
    assertTrue(e.getMessage().contains("2 conflicts were answered already"), e.getMessage());
    assertEquals(List.of(0L, 1L, 2L), sentLockVersions(), "never the same lock_version twice");
    assertTrue(assignr.sim.gameWrites().stream().allMatch(GameWrite::stale));
    assertEquals("08:00", assignr.sim.gameAttribute(GAME, "start_time"), "nothing of ours saved");
    assertEquals("Edited by another user (3)", assignr.sim.gameAttribute(GAME, "notes"));
  }

  @Test
  void aLostAnswerResentByTheAdapterMeetsItsOwn409AndIsReportedAsSuccessWithTheChangeInOnce() throws IOException {
    // The first PUT is saved, then its answer is lost; the adapter resends it (PUT is idempotent),
    // and the resend carries the lock_version the save just moved on: 409, for our own save.
    assignr.sim.script().on("PUT", "/api/v2/games/\\d+").next(1).processThenReset();
    ReadModifyWrite rmw = ReadModifyWrite.builder().timeSource(assignr.time).build();

    ReadModifyWrite.Result<ObjectNode, JsonNode> result = rmw.run(this::readGame, ReadModifyWriteTest::coverVenue,
        this::writeGame);

    ReadModifyWrite.AlreadyApplied<ObjectNode, JsonNode> applied =
        assertInstanceOf(ReadModifyWrite.AlreadyApplied.class, result);
    assertTrue(applied.afterOwnResend(), "the 409 answered the adapter's resend");
    assertTrue(applied.applied());
    assertEquals(1, applied.writes());
    assertEquals(1, applied.conflicts());
    assertEquals("Field 1 (covered)", assignr.sim.gameAttribute(GAME, "venue"), "the change is in once");
    assertEquals(1, assignr.sim.lockVersion(GAME), "saved once");
    assertEquals(List.of(new GameWrite(GAME, 0, 0, 200), new GameWrite(GAME, 0, 1, 409)), assignr.sim.gameWrites());
  }

  @Test
  void evenWithNoConflictBudgetA409AfterTheAdaptersResendIsCheckedByOneReadBeforeGivingUp() throws IOException {
    assignr.sim.script().on("PUT", "/api/v2/games/\\d+").next(1).processThenReset();
    ReadModifyWrite rmw = ReadModifyWrite.builder().maxConflicts(0).timeSource(assignr.time).build();

    ReadModifyWrite.Result<ObjectNode, JsonNode> result = rmw.run(this::readGame, ReadModifyWriteTest::coverVenue,
        this::writeGame);

    assertTrue(assertInstanceOf(ReadModifyWrite.AlreadyApplied.class, result).afterOwnResend());
    assertEquals("Field 1 (covered)", assignr.sim.gameAttribute(GAME, "venue"));
    assertEquals(2, assignr.sim.journal().count("GET", "/api/v2/games/" + GAME), "the one read after the 409");

    // A plain 409 (someone else's save) with no budget gives up at once, without that read.
    assignr.sim.competingEditor(GAME, 1);
    ConflictsPersistException e = assertThrows(ConflictsPersistException.class,
        () -> rmw.run(this::readGame, ReadModifyWriteTest::kickOffAtTen, this::writeGame));
    assertEquals(1, e.writes());
    assertEquals(3, assignr.sim.journal().count("GET", "/api/v2/games/" + GAME));
  }

  @Test
  void aChangedCopyEqualToTheRecordReadIsAlreadyAppliedWithoutAWrite() throws IOException {
    // The same lost answer with a change that only sets a value: no alreadyApplied() in the
    // caller's code; the copy it makes of the re-read record equals that record.
    assignr.sim.script().on("PUT", "/api/v2/games/\\d+").next(1).processThenReset();
    ReadModifyWrite.Result<ObjectNode, JsonNode> result = ReadModifyWrite.builder().timeSource(assignr.time).build()
        .run(this::readGame, ReadModifyWriteTest::kickOffAtTen, this::writeGame);

    assertTrue(assertInstanceOf(ReadModifyWrite.AlreadyApplied.class, result).afterOwnResend());
    assertEquals(2, assignr.sim.journal().count("PUT", "/api/v2/games/" + GAME), "the write and the adapter's resend");
    assertEquals(2, assignr.sim.journal().countProcessed("PUT", "/api/v2/games/" + GAME),
        "both reached the model; only the first saved (the second got 409)");
    assertEquals(1, assignr.sim.lockVersion(GAME));

    // And on a record that already holds the change, nothing is written at all.
    ReadModifyWrite.Result<ObjectNode, JsonNode> again = ReadModifyWrite.defaults()
        .run(this::readGame, ReadModifyWriteTest::kickOffAtTen, this::writeGame);
    ReadModifyWrite.AlreadyApplied<ObjectNode, JsonNode> noop = assertInstanceOf(ReadModifyWrite.AlreadyApplied.class, again);
    assertEquals(0, noop.writes());
    assertFalse(noop.afterOwnResend());
    assertEquals(2, assignr.sim.gameWrites().size());
  }

  @Test
  void theChangeSeesEachFreshRecordAndMayDeclineIt() throws IOException {
    // Our change holds only while nobody has left a note; the competing editor leaves one.
    assignr.sim.competingEditor(GAME, 1);
    ReadModifyWrite.Result<ObjectNode, JsonNode> result = ReadModifyWrite.builder().timeSource(assignr.time).build()
        .run(this::readGame,
            fresh -> fresh.hasNonNull("notes") ? ReadModifyWrite.Edit.noLongerApplies("someone left a note: "
                + fresh.get("notes").asText()) : kickOffAtTen(fresh),
            this::writeGame);

    ReadModifyWrite.NoLongerApplies<ObjectNode, JsonNode> declined =
        assertInstanceOf(ReadModifyWrite.NoLongerApplies.class, result);
    assertEquals("someone left a note: Edited by another user (1)", declined.reason());
    assertFalse(declined.applied());
    assertEquals(1, declined.writes());
    assertEquals(1, declined.conflicts());
    assertEquals("08:00", assignr.sim.gameAttribute(GAME, "start_time"));
    assertEquals(1, assignr.sim.gameWrites().size());
  }

  @Test
  void noWriteStartsAfterTheDeadlineWhileTheGateWaits() throws IOException {
    // Two requests per 30 s: the read after the first 409 waits ~30 s in the adapter's gate
    // (virtual time), which passes the helper's 10 s deadline before the second write.
    assignr.close();
    assignr = new SimulatedAssignr(1, 5, List.of(RateLimitRule.of(2, Duration.ofSeconds(30))),
        GatePolicy.builder().reserve(0).interactiveShare(0).build());
    assignr.sim.competingEditor(GAME, 5);
    ReadModifyWrite rmw = ReadModifyWrite.builder().deadline(Duration.ofSeconds(10)).timeSource(assignr.time).build();

    ConflictsPersistException e = assertThrows(ConflictsPersistException.class,
        () -> rmw.run(this::readGame, ReadModifyWriteTest::kickOffAtTen, this::writeGame));

    assertEquals(1, e.writes());
    assertTrue(e.getMessage().contains("the deadline of PT10S passed"), e.getMessage());
    assertTrue(e.elapsed().compareTo(Duration.ofSeconds(10)) >= 0, e.elapsed().toString());
    assertEquals(2, assignr.sim.journal().count("GET", "/api/v2/games/" + GAME), "the second read was made");
    assertEquals(1, assignr.sim.gameWrites().size());
  }

  @Test
  void gsonWorksAsWell() throws IOException {
    Gson gson = new Gson();
    assignr.sim.competingEditor(GAME, 1);
    ReadModifyWrite.Result<JsonObject, JsonObject> result = ReadModifyWrite.builder().timeSource(assignr.time).build().run(
        () -> JsonParser.parseString(assignr.get(assignr.url("/games/" + GAME))).getAsJsonObject(),
        fresh -> {
          JsonObject updated = fresh.deepCopy();
          updated.addProperty("start_time", "10:00");
          return ReadModifyWrite.Edit.write(updated);
        },
        game -> {
          JsonObject body = new JsonObject();
          body.add("game", game);
          return JsonParser.parseString(assignr.put(assignr.url("/games/" + GAME), gson.toJson(body))).getAsJsonObject();
        });

    ReadModifyWrite.Saved<JsonObject, JsonObject> saved = assertInstanceOf(ReadModifyWrite.Saved.class, result);
    assertEquals(2, saved.writes());
    assertEquals("10:00", saved.written().get("start_time").getAsString());
    assertEquals("Edited by another user (1)", saved.written().get("notes").getAsString());
    assertEquals(List.of(0L, 1L), sentLockVersions());
  }

  @Test
  void settingsAreValidatedAtBuildNamingEachProblem() {
    InvalidSettingsException e = assertThrows(InvalidSettingsException.class,
        () -> ReadModifyWrite.builder().maxConflicts(-1).deadline(Duration.ZERO).build());
    assertEquals(2, e.problems().size(), e.getMessage());
    assertTrue(e.getMessage().contains("maxConflicts must be between 0 and 20"), e.getMessage());
    assertTrue(e.getMessage().contains("but was -1"), e.getMessage());
    assertTrue(e.getMessage().contains("deadline must be positive"), e.getMessage());
    assertThrows(InvalidSettingsException.class, () -> ReadModifyWrite.builder().maxConflicts(21).build());
    assertThrows(InvalidSettingsException.class, () -> ReadModifyWrite.builder().timeSource(null).build());
    assertEquals(3, ReadModifyWrite.defaults().maxConflicts());
    assertNull(ReadModifyWrite.defaults().deadline());
    assertEquals(5, ReadModifyWrite.defaults().toBuilder().maxConflicts(5).build().maxConflicts());
  }
}
