package org.certwatch.api.persistence;

import java.util.List;

/**
 * An ordered, append-only sequence of opaque records shared by every server. Positions are positive,
 * increase with every record and are never reused; a record is durable (committed) when
 * {@link #append} returns.
 */
public interface Journal {
    /**
     * Appends the records as one transaction, in order.
     *
     * @return the position of the last record appended
     */
    long append(List<byte[]> records);

    /**
     * Appends the records only if the journal's last position is still {@code expectedHead} (0 for an
     * empty journal), as one transaction: a writer that caught up to {@code expectedHead} cannot be
     * overtaken by another server's append in between.
     *
     * @throws ConflictException if another record was appended after {@code expectedHead}
     */
    long appendAfter(long expectedHead, List<byte[]> records) throws ConflictException;

    /**
     * Streams the records after {@code position} in order, until the head as of the call.
     *
     * @return the position of the last record passed to {@code sink}, or {@code position} if none
     */
    long read(long position, RecordSink sink) throws Exception;

    /** The position of the last record, 0 when empty. */
    long head();

    /**
     * Removes the records up to and including {@code position} (after the caller kept what they held,
     * e.g. as a document); later positions stay as they are.
     */
    void truncate(long position);

    /**
     * Calls {@code sink} with every record appended after {@code position}, by any server, in order
     * and each once, on a thread the backend owns; the records this server appended itself are
     * included (a follower that applies only others' records skips the positions it wrote). Closing
     * the subscription stops the calls; it returns after a call in progress ended.
     */
    Subscription follow(long position, RecordSink sink);

    /** Receives records in position order. */
    @FunctionalInterface
    interface RecordSink {
        void accept(long position, byte[] record) throws Exception;
    }

    /** Thrown by {@link #appendAfter} when the journal moved on; catch up and try again. */
    final class ConflictException extends Exception {
        private static final long serialVersionUID = 1L;
        private final long head;

        public ConflictException(long head) {
            super("the journal moved on to position " + head);
            this.head = head;
        }

        /** The head position when the append was refused. */
        public long head() {
            return head;
        }
    }
}
