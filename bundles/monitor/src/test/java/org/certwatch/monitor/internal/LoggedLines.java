package org.certwatch.monitor.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The messages one logger writes while attached, for tests that assert a log line; closed, it detaches. */
final class LoggedLines extends Handler {
    final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger logger;

    LoggedLines(String loggerName) {
        this.logger = Logger.getLogger(loggerName);
        logger.addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
        lines.add(record.getMessage());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
