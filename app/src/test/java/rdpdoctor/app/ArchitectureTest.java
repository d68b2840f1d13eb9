package rdpdoctor.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module rules of ARCHITECTURE.md, checked on the compiled classes: Maven already stops a
 * module from naming a later one, and these rules also stop the core from doing I/O it must not do.
 */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // the other modules' test-jars (responders, bench harnesses) are tests too
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("rdpdoctor");
  }

  /**
   * The command packages (probe, gateway, scan, account, ...) may use each other one way only:
   * `probe --gateway` calls the gateway command, so the gateway command must reach the account
   * options and durations it shares with probe without going back through app.probe.
   */
  @Test
  void commandPackagesDoNotDependOnEachOtherInACycle() {
    com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices()
        .matching("rdpdoctor.app.(*)..")
        .should().beFreeOfCycles()
        .check(classes);
  }

  @Test
  void protocolDependsOnNoOtherModule() {
    noClasses()
        .that().resideInAPackage("rdpdoctor.protocol..")
        .should().dependOnClassesThat()
        .resideInAnyPackage(
            "rdpdoctor.diagnosis..", "rdpdoctor.evidence..", "rdpdoctor.probe..", "rdpdoctor.fleet..",
            "rdpdoctor.serve..", "rdpdoctor.app..")
        .check(classes);
  }

  @Test
  void diagnosisDependsOnlyOnProtocol() {
    noClasses()
        .that().resideInAPackage("rdpdoctor.diagnosis..")
        .should().dependOnClassesThat()
        .resideInAnyPackage("rdpdoctor.evidence..", "rdpdoctor.probe..", "rdpdoctor.fleet..", "rdpdoctor.serve..", "rdpdoctor.app..")
        .check(classes);
  }

  @Test
  void evidenceDoesNotDependOnProbeOrApp() {
    noClasses()
        .that().resideInAPackage("rdpdoctor.evidence..")
        .should().dependOnClassesThat()
        .resideInAnyPackage("rdpdoctor.probe..", "rdpdoctor.fleet..", "rdpdoctor.serve..", "rdpdoctor.app..")
        .check(classes);
  }

  @Test
  void probeDoesNotDependOnApp() {
    noClasses()
        .that().resideInAPackage("rdpdoctor.probe..")
        .should().dependOnClassesThat()
        .resideInAnyPackage("rdpdoctor.fleet..", "rdpdoctor.serve..", "rdpdoctor.app..")
        .check(classes);
  }

  @Test
  void fleetDoesNotDependOnApp() {
    noClasses()
        .that().resideInAPackage("rdpdoctor.fleet..")
        .should().dependOnClassesThat()
        .resideInAnyPackage("rdpdoctor.serve..", "rdpdoctor.app..")
        .check(classes);
  }

  @Test
  void serveDoesNotDependOnApp() {
    noClasses()
        .that().resideInAPackage("rdpdoctor.serve..")
        .should().dependOnClassesThat()
        .resideInAnyPackage("rdpdoctor.app..")
        .check(classes);
  }

  /** Jetty, Javalin, Mustache and the Prometheus client are big: only `serve` may load them. */
  @Test
  void onlyTheServeCommandReachesTheServer() {
    noClasses()
        .that().resideInAPackage("rdpdoctor.app..")
        .and().resideOutsideOfPackage("rdpdoctor.app.serve..")
        .should().dependOnClassesThat().resideInAnyPackage("rdpdoctor.serve..", "io.javalin..", "org.eclipse.jetty..",
            "io.prometheus..", "com.github.mustachejava..")
        .because("the web server stays off the start-up path of every other command (DEVELOPERS.md)")
        .check(classes);
  }

  /** The scan runs the probe; only the probe opens sockets, so a scan cannot bypass its deadlines. */
  @Test
  void fleetOpensNoSocketsOfItsOwn() {
    noClasses()
        .that().resideInAPackage("rdpdoctor.fleet..")
        .should().dependOnClassesThat(NETWORKING.and(DescribedPredicate.not(
            JavaClass.Predicates.equivalentTo(java.net.InetAddress.class))))
        .because("fleet probes through rdpdoctor.probe.Probe (ARCHITECTURE.md)")
        .check(classes);
  }

  @Test
  void onlyTheScanCommandsReachTheStore() {
    noClasses()
        .that().resideInAPackage("rdpdoctor.app..")
        .and().resideOutsideOfPackages("rdpdoctor.app.scan..", "rdpdoctor.app.serve..")
        .should().dependOnClassesThat().resideInAnyPackage("rdpdoctor.fleet..", "java.sql..", "org.flywaydb..")
        .because("JDBC and Flyway stay off the start-up path of every other command (DEVELOPERS.md)")
        .check(classes);
  }

  /**
   * Names the networking classes themselves rather than all of {@code java.net}: reading the
   * module's own resources goes through {@code java.net.URL} (jar: and file: URLs), which is fine.
   */
  @Test
  void coreModulesOpenNoSockets() {
    noClasses()
        .that().resideInAnyPackage(
            "rdpdoctor.protocol..", "rdpdoctor.evidence..", "rdpdoctor.diagnosis..")
        .should().dependOnClassesThat(NETWORKING)
        .because("only the probe module talks to the network (ARCHITECTURE.md)")
        .check(classes);
  }

  private static final DescribedPredicate<JavaClass> NETWORKING =
      JavaClass.Predicates.resideInAnyPackage("java.net.http..", "javax.net..", "org.bouncycastle.tls..")
          .or(JavaClass.Predicates.assignableTo(java.net.Socket.class))
          .or(JavaClass.Predicates.assignableTo(java.net.ServerSocket.class))
          .or(JavaClass.Predicates.assignableTo(java.net.DatagramSocket.class))
          .or(JavaClass.Predicates.assignableTo(java.net.HttpURLConnection.class))
          .or(JavaClass.Predicates.assignableTo(java.net.SocketAddress.class))
          .or(JavaClass.Predicates.assignableTo(java.nio.channels.NetworkChannel.class))
          .or(JavaClass.Predicates.equivalentTo(java.net.InetAddress.class))
          .as("networking classes (sockets, DNS, HTTP, TLS)");

  @Test
  void protocolReadsNoClockAndDoesNoIo() {
    noClasses()
        .that().resideInAPackage("rdpdoctor.protocol..")
        .should().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(System.class, "nanoTime")
        .orShould().callMethod(java.time.Instant.class, "now")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.time.Clock")
        .orShould().dependOnClassesThat().resideInAnyPackage("java.nio.file..", "org.slf4j..", "java.util.logging..")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.FileInputStream")
        .because("protocol state machines are sans-I/O: time and bytes are passed in (STYLE.md 1)")
        .check(classes);
  }

  @Test
  void diagnosisDoesNoFileOrNetworkIo() {
    noClasses()
        .that().resideInAPackage("rdpdoctor.diagnosis..")
        .should().dependOnClassesThat().haveFullyQualifiedName("java.io.FileInputStream")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.FileOutputStream")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.nio.file.Files")
        .because("diagnosis reads only its own resources")
        .check(classes);
  }
}
