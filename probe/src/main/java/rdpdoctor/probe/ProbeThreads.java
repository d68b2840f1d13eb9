package rdpdoctor.probe;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * The threads the probe's connections run on: one platform daemon thread per task.
 *
 * <p>Not virtual threads, although a probe is the textbook case for them. A virtual thread that
 * blocks on a socket hands it to the JDK's poller, a platform thread that then sits in
 * {@code epoll_wait} until the process ends, and HotSpot's exit waits up to 300 ms for every
 * thread it finds in native code before it gives up. Measured on JDK 25: a 50 ms socket read on a
 * virtual thread made {@code System.exit} take 0.42 s against 0.11 s on a platform thread, and
 * the full probe of a local xrdp lost the same 300 ms after its last packet. A probe opens a few
 * dozen connections, so a platform thread each costs nothing that shows.
 */
public final class ProbeThreads {
  private static final ThreadFactory FACTORY =
      Thread.ofPlatform().daemon().name("rdpdoctor-probe-", 0).factory();

  private ProbeThreads() {}

  /** Starts each task on a new daemon platform thread; for one-off tasks that need no closing. */
  static final Executor EACH = task -> FACTORY.newThread(task).start();

  /** A new executor that starts a daemon platform thread for each task; close it when done. */
  public static ExecutorService perTask() {
    return Executors.newThreadPerTaskExecutor(FACTORY);
  }
}
