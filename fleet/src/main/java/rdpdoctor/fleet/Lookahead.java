package rdpdoctor.fleet;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;

/**
 * An iterator over what {@link #advance} returns until it returns null: the one-ahead read the
 * streamed target lists need, since {@code hasNext} must know whether an endpoint is left without
 * expanding the rest. The first read waits for the first {@code hasNext}, after the subclass's own
 * fields are set.
 */
abstract class Lookahead<T> implements Iterator<T> {
  private @Nullable T next;
  private boolean started;

  /** The next element, or null when there is none. */
  protected abstract @Nullable T advance();

  @Override
  public final boolean hasNext() {
    if (!started) {
      next = advance();
      started = true;
    }
    return next != null;
  }

  @Override
  public final T next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    T t = next;
    next = advance();
    return t;
  }
}
