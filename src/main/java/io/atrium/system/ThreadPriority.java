package io.atrium.system;

import com.sun.jna.Library;
import com.sun.jna.Native;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers the calling thread's scheduling priority (Linux nice value; it is per thread there). Inference and
 * parsing saturate both cores of a small machine; niced, they yield at once to the event loops, so accepting a
 * request stays fast while a batch is being embedded. A no-op where setpriority is unavailable.
 */
public final class ThreadPriority {
  private static final Logger LOG = LoggerFactory.getLogger(ThreadPriority.class);
  private static final int PRIO_PROCESS = 0;
  private static final CLibrary LIBC = load();

  private ThreadPriority() {
  }

  /** Sets the calling thread's nice value (0 normal, 19 lowest). */
  public static void lowerCurrentThread(int nice) {
    if (LIBC == null) {
      return;
    }
    try {
      // who = 0: on Linux the calling thread, not the whole process
      if (LIBC.setpriority(PRIO_PROCESS, 0, nice) != 0) {
        LOG.debug("setpriority failed for {}", Thread.currentThread().getName());
      }
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      LOG.debug("setpriority unavailable: {}", e.getMessage());
    }
  }

  private static CLibrary load() {
    if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
      return null;
    }
    try {
      return Native.load("c", CLibrary.class);
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      LOG.info("thread priorities unavailable ({}); inference runs at normal priority", e.getMessage());
      return null;
    }
  }

  private interface CLibrary extends Library {
    int setpriority(int which, int who, int prio);
  }
}
