package io.atrium.bench;

import io.atrium.media.FilenameParser;
import io.atrium.media.Recognition;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Accuracy of {@link FilenameParser} on guessit's test suite ({@code data/guessit/guessit_cases_flat.jsonl}).
 *
 * <p>Cases: those of movies.yml and episodes.yml in mode "full" (tuned on), and of various.yml (held out, never
 * tuned on). Cases with guessit {@code options} are skipped: they change parsing (-T title, -t type, -E, ...).
 * guessit writes several inputs that share one expectation as {@code ? a ? b : expected}; the flat file gives
 * the first ones only the defaults, so a case that expects nothing but its default type takes the expectation of
 * the next case of its file, as guessit's own harness does (and is skipped with it when that one has options).
 *
 * <p>A case passes when type, title, year, season and episode all agree. Each of the last four is checked when
 * guessit expects it or the parser returns it: expected but missing, or returned but not expected, is a miss.
 * Titles are compared case-insensitively after NFC and after turning each run of spaces, dots and underscores
 * into one space (so "S.H.I.E.L.D." equals "S H I E L D"); nothing else is forgiven. guessit's episode or
 * season may be a list: its first element is compared. guessit's absolute anime episodes carry no season, so a
 * returned season is a miss there.
 */
public final class MediaParserBench {
  private static final List<String> KINDS = List.of("type", "title", "year", "season", "episode");

  private record Case(String input, String source, JsonObject expected) {
  }

  private record Miss(Case c, Recognition got, List<String> kinds) {
  }

  public static void main(String[] args) throws Exception {
    int examples = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Path shared = Path.of(System.getProperty("atrium.shared", "../shared")).toAbsolutePath();
    Path flat = shared.resolve("data/guessit/guessit_cases_flat.jsonl");
    List<String> sources = List.of("movies.yml", "episodes.yml", "various.yml");
    Map<String, Integer> skipped = new LinkedHashMap<>();
    List<Case> cases = load(flat, sources, skipped);
    System.out.printf("media parser benchmark: %s, mode full, %d cases; skipped for guessit options: %s%n",
        shared.relativize(flat), cases.size(), skipped);

    Map<String, int[]> perFile = new LinkedHashMap<>();
    Map<String, List<Miss>> tunedMisses = new LinkedHashMap<>();
    KINDS.forEach(kind -> tunedMisses.put(kind, new ArrayList<>()));
    List<Miss> heldOutMisses = new ArrayList<>();
    long start = System.nanoTime();
    for (Case c : cases) {
      Recognition got = FilenameParser.parse(c.input());
      List<String> kinds = compare(c.expected(), got);
      int[] counts = perFile.computeIfAbsent(c.source(), s -> new int[2]);
      counts[1]++;
      if (kinds.isEmpty()) {
        counts[0]++;
        continue;
      }
      Miss miss = new Miss(c, got, kinds);
      if (c.source().equals("various.yml")) {
        heldOutMisses.add(miss);
      } else {
        kinds.forEach(kind -> tunedMisses.get(kind).add(miss));
      }
    }
    double micros = (System.nanoTime() - start) / 1e3 / cases.size();

    int pass = 0;
    int total = 0;
    for (String source : List.of("movies.yml", "episodes.yml")) {
      int[] counts = perFile.getOrDefault(source, new int[2]);
      pass += counts[0];
      total += counts[1];
    }
    System.out.printf("overall movies.yml + episodes.yml: %d/%d = %.1f%% (goal >= 90%%)%n", pass, total, 100.0 * pass / total);
    perFile.forEach((source, counts) -> System.out.printf("  %-13s %d/%d = %.1f%%%s%n", source, counts[0], counts[1],
        100.0 * counts[0] / counts[1], source.equals("various.yml") ? "  (held out: not tuned on)" : ""));
    System.out.printf("misses by kind (movies.yml + episodes.yml; a case can miss several):%n");
    for (String kind : KINDS) {
      List<Miss> misses = tunedMisses.get(kind);
      System.out.printf("  %-8s %d%n", kind, misses.size());
      misses.stream().limit(examples).forEach(miss -> System.out.printf("      %s%n        expected %s%n        got      %s%n",
          miss.c().input(), expectedFields(miss.c().expected()), gotFields(miss.got())));
    }
    if (examples > 5) {
      System.out.printf("held-out misses (various.yml): %d%n", heldOutMisses.size());
      heldOutMisses.forEach(miss -> System.out.printf("      %s %s%n        expected %s%n        got      %s%n",
          miss.kinds(), miss.c().input(), expectedFields(miss.c().expected()), gotFields(miss.got())));
    }
    System.out.printf("speed: %.1f µs per name%n", micros);
  }

  private static List<Case> load(Path flat, List<String> sources, Map<String, Integer> skipped) throws Exception {
    List<JsonObject> rows = new ArrayList<>();
    for (String line : Files.readAllLines(flat, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        JsonObject row = new JsonObject(line);
        if (sources.contains(row.getString("source")) && "full".equals(row.getString("mode"))) {
          rows.add(row);
        }
      }
    }
    List<Case> cases = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      JsonObject row = rows.get(i);
      JsonObject donor = row;
      for (int j = i + 1; onlyDefaults(donor.getJsonObject("expected")) && j < rows.size()
          && rows.get(j).getString("source").equals(row.getString("source")); j++) {
        donor = rows.get(j);
      }
      if (donor.getValue("options") != null) {
        skipped.merge(row.getString("source"), 1, Integer::sum);
        continue;
      }
      cases.add(new Case(row.getString("input"), row.getString("source"), donor.getJsonObject("expected")));
    }
    return cases;
  }

  private static boolean onlyDefaults(JsonObject expected) {
    return expected.fieldNames().stream().allMatch("type"::equals);
  }

  private static List<String> compare(JsonObject expected, Recognition got) {
    List<String> kinds = new ArrayList<>();
    if (!Objects.equals(expected.getString("type"), got.type())) {
      kinds.add("type");
    }
    if (!Objects.equals(normalTitle(expected.getValue("title")), normalTitle(got.title()))) {
      kinds.add("title");
    }
    if (!Objects.equals(first(expected.getValue("year")), got.year())) {
      kinds.add("year");
    }
    if (!Objects.equals(first(expected.getValue("season")), got.season())) {
      kinds.add("season");
    }
    if (!Objects.equals(first(expected.getValue("episode")), got.episode())) {
      kinds.add("episode");
    }
    return kinds;
  }

  private static String normalTitle(Object title) {
    if (title == null) {
      return null;
    }
    String text = Normalizer.normalize(String.valueOf(title), Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    return text.replaceAll("[\\s._]+", " ").trim();
  }

  private static Integer first(Object value) {
    Object single = value instanceof JsonArray array ? (array.isEmpty() ? null : array.getValue(0)) : value;
    return single instanceof Number number ? number.intValue() : null;
  }

  private static String expectedFields(JsonObject expected) {
    JsonObject shown = new JsonObject();
    KINDS.forEach(kind -> {
      if (expected.containsKey(kind)) {
        shown.put(kind, expected.getValue(kind));
      }
    });
    return shown.encode();
  }

  private static String gotFields(Recognition got) {
    JsonObject shown = new JsonObject().put("type", got.type());
    if (got.title() != null) {
      shown.put("title", got.title());
    }
    if (got.year() != null) {
      shown.put("year", got.year());
    }
    if (got.season() != null) {
      shown.put("season", got.season());
    }
    if (got.episode() != null) {
      shown.put("episode", got.episode());
    }
    return shown.encode();
  }
}
