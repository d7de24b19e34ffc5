package org.certwatch.api.persistence;

/** One stored value: its key, its version (raised by every write, from 1) and its bytes. */
public record Document(String key, long version, byte[] value) {
}
