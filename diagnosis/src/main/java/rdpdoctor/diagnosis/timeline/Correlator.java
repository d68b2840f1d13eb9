package rdpdoctor.diagnosis.timeline;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.diagnosis.Phase;

/**
 * Rebuilds attempts and sessions from {@code event} observations, by the correlation rules.
 *
 * <p>Events are taken in time order. An event joins an attempt of its side and computer by, in
 * this order: the same ActivityID (RdpCoreTS writes one per connection, even after the failure),
 * the same client address, or an attempt that has no address yet and lacks this event id (an RCM
 * 261 names no client; the 1149 that follows does). An attempt with no event for the rules'
 * window is over. Events that arrive after the event that ended an attempt (RdpCoreTS writes
 * 102/103/148 after a 140) are added to its proof but move neither its phases nor its end.
 */
public final class Correlator {
  private final CorrelationRules rules;

  public Correlator(CorrelationRules rules) {
    this.rules = Objects.requireNonNull(rules, "rules");
  }

  /** Correlates the built-in rules over {@code observations}; non-event observations are ignored. */
  public static Timeline correlate(List<Observation> observations) {
    return new Correlator(CorrelationRules.builtIn()).run(observations);
  }

  /** The attempts and sessions the events show. */
  public Timeline run(List<Observation> observations) {
    List<Observation> events = new ArrayList<>();
    for (Observation o : observations) {
      if (o.type().equals("event") && o.at() != null) {
        events.add(o);
      }
    }
    // Time first; within one instant the file's own order (record ids) keeps cause before effect.
    events.sort(Comparator.comparing(Observation::at)
        .thenComparing(o -> o.provenance().location())
        .thenComparing(o -> o.number("recordId") == null ? 0L : o.number("recordId")));
    Run run = new Run(rules.window());
    int unused = 0;
    for (Observation o : events) {
      EventRule r = rules.find(o);
      if (r == null) {
        unused++;
        continue;
      }
      run.expire(o.at());
      if (r.session() != null) {
        run.session(o, r);
      }
      if (r.inAttempts()) {
        run.attempt(o, r);
      }
    }
    run.expire(Instant.MAX);
    List<Attempt> attempts = run.done.stream().map(Builder::build)
        .sorted(Comparator.comparing(Attempt::start)
            .thenComparing(a -> a.proof().getFirst().file())
            .thenComparing(a -> a.proof().getFirst().recordId() == null ? 0L : a.proof().getFirst().recordId()))
        .toList();
    List<Session> sessions = run.allSessions.stream().map(SessionBuilder::build).toList();
    return new Timeline(attempts, sessions, events.size() - unused, unused);
  }

  /** The state of one pass: open attempts, finished ones, sessions by key. */
  private static final class Run {
    final Duration window;
    final List<Builder> open = new ArrayList<>();
    final List<Builder> done = new ArrayList<>();
    /** ActivityID -> attempt, also after it ended, for the events written after the failure. */
    final Map<String, Builder> byActivity = new HashMap<>();
    final Map<String, SessionBuilder> sessions = new HashMap<>();
    final List<SessionBuilder> allSessions = new ArrayList<>();

    Run(Duration window) {
      this.window = window;
    }

    void expire(Instant now) {
      for (var it = open.iterator(); it.hasNext(); ) {
        Builder b = it.next();
        // A logged-on attempt is a session that may be quiet for hours: only its end closes it.
        if (now == Instant.MAX || (!b.loggedOn && b.last.plus(window).isBefore(now))) {
          it.remove();
          done.add(b);
        }
      }
    }

    void attempt(Observation o, EventRule r) {
      String computer = o.string("computer");
      String activity = o.string("activityId");
      Builder b = null;
      if (activity != null) {
        Builder a = byActivity.get(activity);
        if (a != null && a.side.equals(r.side()) && !a.last.plus(window).isBefore(o.at())) {
          b = a;
        }
      }
      // The client's log names the server in ipAddress (1102), not a client: it joins by computer.
      String address = r.side().equals("client") ? null : o.string("ipAddress");
      if (b == null) {
        b = join(o, r, computer, address);
      }
      if (b == null) {
        if (r.opens() == EventRule.Opens.NEVER) {
          return;
        }
        b = new Builder(r.side(), computer, o.at());
        open.add(b);
      }
      b.add(o, r, address);
      if (activity != null) {
        byActivity.put(activity, b);
      }
      if (b.closed && open.remove(b)) {
        done.add(b);
      }
    }

    private @Nullable Builder join(Observation o, EventRule r, @Nullable String computer, @Nullable String address) {
      long id = r.eventId();
      // Most recent first: with attempts in parallel, the newest one is the likeliest owner.
      for (int i = open.size() - 1; i >= 0; i--) {
        Builder b = open.get(i);
        if (!b.side.equals(r.side()) || !Objects.equals(b.computer, computer)) {
          continue;
        }
        if (r.side().equals("client")) {
          if (r.opens() == EventRule.Opens.ALWAYS) {
            return null; // a new 1024 is a new attempt, even when the last one never ended
          }
          return b;
        }
        if (address != null && address.equals(b.client) && r.opens() != EventRule.Opens.ALWAYS) {
          return b;
        }
      }
      for (int i = open.size() - 1; i >= 0; i--) {
        Builder b = open.get(i);
        if (b.side.equals(r.side()) && Objects.equals(b.computer, computer) && b.client == null
            && !b.eventIds.contains(id)) {
          return b;
        }
      }
      if (address == null) {
        // An event that names no client: the newest attempt that lacks it. An opening event (an RCM
        // 261 after the RdpCoreTS 131 of the same connection) joins only one that is still at TCP.
        for (int i = open.size() - 1; i >= 0; i--) {
          Builder b = open.get(i);
          if (b.side.equals(r.side()) && Objects.equals(b.computer, computer) && !b.eventIds.contains(id)
              && (r.opens() != EventRule.Opens.ALWAYS || b.phases.stream().allMatch(p -> p == Phase.TCP))) {
            return b;
          }
        }
      }
      return null;
    }

    void session(Observation o, EventRule r) {
      Long id = o.number("sessionId");
      String name = o.string("SessionName");
      String user = o.string("user");
      String computer = o.string("computer");
      if (id == null && name == null && r.session() == Session.Kind.LOGOFF) {
        securityLogoff(o, r, computer, user);
        return;
      }
      // LocalSessionManager numbers sessions; Security 4778/4779 name them (RDP-Tcp#N) with the user.
      String key = computer + "|" + (id != null ? "#" + id : name + "|" + user);
      SessionBuilder s = sessions.get(key);
      if (s == null || (r.session() == Session.Kind.LOGON && s.loggedOff)) {
        // A session number reused after a logoff is a new session.
        s = new SessionBuilder(computer, id, name);
        sessions.put(key, s);
        allSessions.add(s);
      }
      s.add(o, r);
    }

    /**
     * Security 4647/4634: a logoff that names neither a session number nor a window station, only
     * the account and its logon id. It ends the newest session of that account on that computer
     * that is still open, or one that logged off within the window (Windows writes 4647, then
     * 4634, then LocalSessionManager 23 for one logoff). A 4634 of a remote interactive logon
     * (type 10) that finds none is a session of its own; a 4647 that finds none is not shown,
     * since it does not say the logon was a Remote Desktop one.
     */
    private void securityLogoff(Observation o, EventRule r, @Nullable String computer, @Nullable String user) {
      SessionBuilder match = null;
      for (int i = allSessions.size() - 1; i >= 0 && match == null; i--) {
        SessionBuilder s = allSessions.get(i);
        if (Objects.equals(s.computer, computer) && sameAccount(s.user, user)
            && (!s.loggedOff || !s.events.getLast().at().plus(window).isBefore(o.at()))) {
          match = s;
        }
      }
      if (match == null) {
        Long type = o.number("logonType");
        if (type == null || type != 10) {
          return;
        }
        match = new SessionBuilder(computer, null, null);
        sessions.put(computer + "|logon|" + o.string("TargetLogonId"), match);
        allSessions.add(match);
      }
      match.add(o, r);
    }
  }

  /** One account in LocalSessionManager's {@code CORP\alice} and Security's {@code alice}. */
  static boolean sameAccount(@Nullable String a, @Nullable String b) {
    if (a == null || b == null) {
      return false;
    }
    return a.substring(a.lastIndexOf('\\') + 1).equalsIgnoreCase(b.substring(b.lastIndexOf('\\') + 1));
  }

  /** An attempt being rebuilt. */
  private static final class Builder {
    final String side;
    final @Nullable String computer;
    final Instant start;
    Instant last;
    @Nullable String client;
    @Nullable String server;
    @Nullable String user;
    final Set<Phase> phases = EnumSet.noneOf(Phase.class);
    final Set<Long> eventIds = new LinkedHashSet<>();
    final List<Proof> proof = new ArrayList<>();
    boolean authenticated;
    boolean loggedOn;
    boolean closed;
    Attempt.@Nullable End end;
    @Nullable Phase stoppedAt;
    @Nullable Code code;

    Builder(String side, @Nullable String computer, Instant start) {
      this.side = side;
      this.computer = computer;
      this.start = start;
      this.last = start;
    }

    void add(Observation o, EventRule r, @Nullable String address) {
      last = o.at();
      eventIds.add(r.eventId());
      proof.add(Proof.of(o));
      if (client == null && address != null) {
        client = address;
      }
      if (server == null && o.string("server") != null) {
        server = o.string("server");
      }
      if (user == null && o.string("user") != null && !o.string("user").equals("-")) {
        user = o.string("user");
      }
      if (closed) {
        return; // written after the end: proof only
      }
      if (r.phase() != null) {
        phases.add(r.phase());
      }
      Code c = r.code(o);
      if (r.outcome() != null) {
        switch (r.outcome()) {
          case AUTHENTICATED -> authenticated = true;
          case LOGGED_ON -> {
            authenticated = true;
            loggedOn = true;
          }
          case FAILED, DISCONNECTED -> {
            closed = true;
            end = r.outcome() == EventRule.Outcome.FAILED ? Attempt.End.FAILED : Attempt.End.DISCONNECTED;
            stoppedAt = r.phase() != null ? r.phase() : furthest();
            code = c;
          }
        }
      } else if (c != null && code == null) {
        code = c; // a code on the way (an RdpCoreTS 226 HRESULT) explains an end that has none
      }
    }

    private @Nullable Phase furthest() {
      Phase p = null;
      for (Phase x : phases) {
        p = x; // EnumSet iterates in connection order
      }
      return p;
    }

    Attempt build() {
      Attempt.End e = end != null ? end : loggedOn ? Attempt.End.LOGGED_ON : Attempt.End.NO_END;
      Phase stop = stoppedAt != null ? stoppedAt : furthest();
      return new Attempt(side, computer, start, last, client, server, user, List.copyOf(phases),
          stop == null ? Phase.TCP : stop, e, code, authenticated || loggedOn, proof);
    }
  }

  /** A session being rebuilt. */
  private static final class SessionBuilder {
    final @Nullable String computer;
    final @Nullable Long id;
    @Nullable String name;
    @Nullable String user;
    boolean loggedOff;
    final List<Session.Event> events = new ArrayList<>();
    final Set<String> addresses = new LinkedHashSet<>();

    SessionBuilder(@Nullable String computer, @Nullable Long id, @Nullable String name) {
      this.computer = computer;
      this.id = id;
      this.name = name;
    }

    void add(Observation o, EventRule r) {
      String address = o.string("ipAddress");
      if (address != null && !address.equals("LOCAL")) {
        addresses.add(address);
      }
      if (user == null && o.string("user") != null) {
        user = o.string("user");
      }
      if (name == null && o.string("SessionName") != null) {
        name = o.string("SessionName");
      }
      if (r.session() == Session.Kind.LOGOFF) {
        loggedOff = true;
      }
      events.add(new Session.Event(o.at(), r.session(), address, r.code(o), Proof.of(o)));
    }

    Session build() {
      return new Session(computer, id, name, user, events, List.copyOf(addresses));
    }
  }
}
