package rdpdoctor.protocol;

/**
 * Why bytes from a file or a server could not be decoded.
 *
 * <p>Every decoder in rdpdoctor fails with one of the subtypes, never with an index or
 * allocation error, so the caller can report exactly which field was wrong and by how much.
 * Messages are one short lowercase sentence without a trailing period, so that context added by
 * {@link #in(String)} composes into a chain such as
 * "cannot read MCS connect response: invalid field length: 70000 (expected: &lt;= 8192)".
 *
 * <p>Unchecked on purpose: decoders are called from iterators and streams (EVTX records, hive
 * cells) where a checked exception would have to be smuggled anyway.
 */
public abstract sealed class DecodeException extends RuntimeException
    permits DecodeException.NotEnoughBytes,
        DecodeException.InvalidField,
        DecodeException.UnexpectedValue,
        DecodeException.InContext {

  private static final long serialVersionUID = 1L;

  DecodeException(String message, Throwable cause) {
    super(message, cause, false, false);
  }

  /** Wraps this error with what the caller was trying to do ("cannot read X.224 connection confirm"). */
  public final DecodeException in(String context) {
    return new InContext(context, this);
  }

  /** The innermost error, whatever context was added around it. */
  public DecodeException root() {
    return this;
  }

  /** The input ended before a field could be read. */
  public static final class NotEnoughBytes extends DecodeException {
    private static final long serialVersionUID = 1L;
    private final String field;
    private final long received;
    private final long expected;

    public NotEnoughBytes(String field, long received, long expected) {
      super("not enough bytes for " + field + ": " + received + " (expected: " + expected + ")", null);
      this.field = field;
      this.received = received;
      this.expected = expected;
    }

    public String field() {
      return field;
    }

    public long received() {
      return received;
    }

    public long expected() {
      return expected;
    }
  }

  /** A field was read but its value is impossible or outside the bound the decoder allows. */
  public static final class InvalidField extends DecodeException {
    private static final long serialVersionUID = 1L;
    private final String field;
    private final String reason;

    public InvalidField(String field, String reason) {
      super("invalid field " + field + ": " + reason, null);
      this.field = field;
      this.reason = reason;
    }

    public String field() {
      return field;
    }

    public String reason() {
      return reason;
    }
  }

  /** A type, tag or signature field held a value this structure cannot have. */
  public static final class UnexpectedValue extends DecodeException {
    private static final long serialVersionUID = 1L;
    private final String structure;
    private final long value;

    public UnexpectedValue(String structure, String field, long value, String expected) {
      super(
          "unexpected " + field + " in " + structure + ": 0x" + Long.toHexString(value)
              + " (expected: " + expected + ")",
          null);
      this.structure = structure;
      this.value = value;
    }

    public String structure() {
      return structure;
    }

    public long value() {
      return value;
    }
  }

  /** Another decode error, with what the caller was doing when it happened. */
  public static final class InContext extends DecodeException {
    private static final long serialVersionUID = 1L;
    private final DecodeException cause;

    InContext(String context, DecodeException cause) {
      super(context + ": " + cause.getMessage(), cause);
      this.cause = cause;
    }

    @Override
    public DecodeException root() {
      return cause.root();
    }
  }

  /** Checks a length or count read from the input against the bound the decoder allows. */
  public static long checkBound(String field, long value, long max) {
    if (value < 0 || value > max) {
      throw new InvalidField(field, value + " (expected: <= " + max + ")");
    }
    return value;
  }
}
