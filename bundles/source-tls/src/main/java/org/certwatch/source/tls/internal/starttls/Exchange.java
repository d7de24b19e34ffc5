package org.certwatch.source.tls.internal.starttls;

import java.io.IOException;

/** One protocol's side of the plain-text exchange, over a conversation that bounds it and names the endpoint. */
interface Exchange {
    /** Ends with {@link Conversation#finish} once the server agreed; throws with what it said otherwise. */
    void run(Conversation conversation) throws IOException;
}
