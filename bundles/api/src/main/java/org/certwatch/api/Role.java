package org.certwatch.api;

/** The component a peer certificate identifies; MONITORED marks a third-party certificate without key. */
public enum Role {
    SERVER,
    AGENT,
    PROXY,
    MDM,
    MONITORED
}
