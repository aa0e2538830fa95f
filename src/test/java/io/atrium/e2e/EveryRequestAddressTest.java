package io.atrium.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every request address of {@link Addresses}, sent bodies of the wrong shape (each field of its contract in
 * verticles.md given a wrong type, all of them at once, a body that is no JSON object), answers at once: a 4xx
 * naming the problem, never a 500 and never the caller's timeout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EveryRequestAddressTest {
  /** Far under every caller's own timeout: a handler that threw without answering would show as a timeout here. */
  private static final long ANSWER_WITHIN_MS = 5_000;
  /** They stop the instance the other requests go to. */
  private static final Set<String> STOPS_ATRIUM = Set.of(Addresses.LIFECYCLE_SHUTDOWN, Addresses.INGEST_DRAIN);
  private static final List<Object> WRONG_VALUES = List.of(new JsonObject().put("wrong", true), "wrong",
      new JsonArray().add(1.5));
  private static final Pattern ROW = Pattern.compile("^\\| `(atrium\\.[a-z.-]+)`(?:, `(atrium\\.[a-z.-]+)`)? \\| ((?:[^|\\\\]|\\\\.)*) \\|");
  private static final Pattern FIELD = Pattern.compile("([a-z][a-z_]*)\\??(?=[,}:`\\s]|$)");

  @TempDir
  static Path dataDir;
  Vertx vertx;
  AtriumHarness atrium;

  @BeforeAll
  void start() {
    vertx = Vertx.vertx();
    atrium = new AtriumHarness(vertx, dataDir).start();
  }

  @AfterAll
  void stop() {
    vertx.close().await();
  }

  @TestFactory
  List<DynamicTest> everyRequestAddressAnswersAWrongTypedFieldWithA4xxAtOnce() throws Exception {
    Map<String, Set<String>> contract = contractFields();
    List<DynamicTest> tests = new ArrayList<>();
    for (String address : requestAddresses()) {
      assertThat(contract).as("verticles.md documents " + address).containsKey(address);
      if (STOPS_ATRIUM.contains(address)) {
        continue;
      }
      tests.add(DynamicTest.dynamicTest(address, () -> assertAnswersWrongShapes(address, contract.get(address))));
    }
    return tests;
  }

  private void assertAnswersWrongShapes(String address, Set<String> fields) {
    assertThat(failureOf(address, "a string, not an object")).as(address + " given a string body").isBetween(400, 499);
    JsonObject allWrong = new JsonObject();
    for (String field : fields) {
      List<Integer> codes = new ArrayList<>();
      for (Object wrong : WRONG_VALUES) {
        codes.add(failureOf(address, new JsonObject().put(field, wrong)));
      }
      assertThat(codes).as(address + " given a wrong-typed " + field).anyMatch(code -> code >= 400 && code < 500);
      allWrong.put(field, WRONG_VALUES.get(0));
    }
    if (!fields.isEmpty()) {
      assertThat(failureOf(address, allWrong)).as(address + " given every field wrong").isBetween(400, 499);
    }
  }

  /**
   * The failure code the request got (0 when it succeeded, which a field taking any value may allow); a 500 or
   * no answer in time fails the test.
   */
  private int failureOf(String address, Object body) {
    Future<Object> answer = vertx.eventBus().request(address, body, new DeliveryOptions().setSendTimeout(ANSWER_WITHIN_MS))
        .map(reply -> null);
    Throwable failure = answer.otherwise(e -> e).map(e -> (Throwable) e).await();
    if (failure == null) {
      return 0;
    }
    assertThat(failure).as(address + " answered " + body).isInstanceOf(ReplyException.class);
    ReplyException reply = (ReplyException) failure;
    assertThat(reply.failureType()).as(address + " answered " + body + " in time").isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
    assertThat(reply.failureCode()).as(address + " answered " + body + ": " + reply.getMessage()).isNotEqualTo(500);
    if (reply.failureCode() >= 400 && reply.failureCode() < 500) {
      assertThat(new JsonObject(reply.getMessage()).getString("message")).as(address + " says why").isNotBlank();
    }
    return reply.failureCode();
  }

  /** The request/reply addresses: every constant but events, browser-facing ones, prefixes and patterns. */
  private static List<String> requestAddresses() throws IllegalAccessException {
    List<String> addresses = new ArrayList<>();
    for (Field constant : Addresses.class.getFields()) {
      if (Modifier.isStatic(constant.getModifiers()) && constant.get(null) instanceof String address
          && !address.startsWith("atrium.events.") && !address.startsWith("atrium.ui.")
          && !address.endsWith(".") && !address.contains("\\")) {
        addresses.add(address);
      }
    }
    return addresses;
  }

  /** Address → the field names its request body column in verticles.md names. */
  private static Map<String, Set<String>> contractFields() throws IOException {
    Map<String, Set<String>> contract = new LinkedHashMap<>();
    for (String line : Files.readAllLines(Path.of("verticles.md"))) {
      Matcher row = ROW.matcher(line);
      if (!row.find()) {
        continue;
      }
      Set<String> fields = new LinkedHashSet<>();
      String body = row.group(3).replaceAll("\"[^\"]*\"", "").replaceAll("seed \\d+'s", "");
      Matcher field = FIELD.matcher(body);
      while (field.find()) {
        if (body.contains("{") ? atTopLevel(body, field.start()) : isCode(body, field.start())) {
          fields.add(field.group(1));
        }
      }
      contract.put(row.group(1), fields);
      if (row.group(2) != null) {
        contract.put(row.group(2), fields);
      }
    }
    return contract;
  }

  /** Inside the body's outer braces, not inside a nested object or list of them. */
  private static boolean atTopLevel(String text, int at) {
    int depth = 0;
    for (int i = 0; i < at; i++) {
      char c = text.charAt(i);
      depth += c == '{' || c == '[' ? 1 : c == '}' || c == ']' ? -1 : 0;
    }
    return depth == 1 && text.charAt(at - 1) != '.';
  }

  private static boolean isCode(String text, int at) {
    return at > 0 && text.charAt(at - 1) == '`';
  }
}
