// In-process timing for bench/hive.sh: run with the rdpdoctor jar on the class path, as
//   java -cp app/target/rdpdoctor.jar bench/HiveWalk.java FILE [ROUNDS]
// Each round reads the file, opens the hive and visits every key and every value's data (the
// same work as regfexport), then renders it as .reg text into a counter; the first rounds warm
// the JIT up, the median of the rest is reported.
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import rdpdoctor.evidence.reg.RegWriter;
import rdpdoctor.evidence.regf.Hive;
import rdpdoctor.evidence.registry.RegistryValue;
import rdpdoctor.evidence.registry.RegistryWalker;

public class HiveWalk {
  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    double[] walk = new double[rounds];
    double[] dump = new double[rounds];
    long keys = 0;
    long values = 0;
    for (int i = 0; i < rounds; i++) {
      long t0 = System.nanoTime();
      Hive hive = Hive.of(Files.readAllBytes(file));
      long[] n = new long[3];
      RegistryWalker.walk(hive.root(), (k, d) -> {
        n[0]++;
        for (RegistryValue v : k.values()) {
          n[1]++;
          n[2] += v.data().length;
        }
      });
      long t1 = System.nanoTime();
      CountingAppendable sink = new CountingAppendable();
      RegWriter.write(hive.root(), "HKEY_LOCAL_MACHINE\\SYSTEM", sink);
      long t2 = System.nanoTime();
      walk[i] = (t1 - t0) / 1e6;
      dump[i] = (t2 - t1) / 1e6;
      keys = n[0];
      values = n[1];
    }
    System.out.printf("keys=%d values=%d walk_ms=%.1f dump_ms=%.1f first_walk_ms=%.1f%n", keys, values,
        median(walk, rounds / 3), median(dump, rounds / 3), walk[0]);
  }

  static double median(double[] a, int skip) {
    double[] b = Arrays.copyOfRange(a, skip, a.length);
    Arrays.sort(b);
    return b[b.length / 2];
  }

  static final class CountingAppendable implements Appendable {
    long chars;

    public Appendable append(CharSequence s) {
      chars += s.length();
      return this;
    }

    public Appendable append(CharSequence s, int start, int end) {
      chars += end - start;
      return this;
    }

    public Appendable append(char c) {
      chars++;
      return this;
    }
  }
}
