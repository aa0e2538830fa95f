package io.atrium.parse;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A parser child that misbehaves on demand, for {@link ParserProcessTest}: a file named {@code hang} never gets an
 * answer (and starts a {@code sleep} of its own, as Tika starts Tesseract), {@code bomb} fills the heap, anything
 * else is answered at once as a one-line document.
 */
public final class StandInParseChild {
  private StandInParseChild() {
  }

  public static void main(String[] args) throws Exception {
    BufferedReader requests = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    requests.readLine(); // settings
    System.out.println("{\"ready\":true}");
    System.out.flush();
    for (String line = requests.readLine(); line != null; line = requests.readLine()) {
      if (line.contains("hang")) {
        new ProcessBuilder("sleep", "600").start();
        Thread.sleep(Long.MAX_VALUE);
      }
      if (line.contains("bomb")) {
        List<long[]> hoard = new ArrayList<>();
        while (true) {
          hoard.add(new long[1 << 20]);
        }
      }
      System.out.println("{\"document\":{\"text\":\"fine\",\"blocks\":[],\"content_type\":\"text/plain\",\"pages\":0}}");
      System.out.flush();
    }
  }
}
