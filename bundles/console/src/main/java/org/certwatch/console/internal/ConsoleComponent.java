package org.certwatch.console.internal;

import org.apache.felix.service.command.CommandProcessor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Runs the {@link LineConsole} on standard input when the server runs in a terminal (the launcher keeps
 * Gogo's own console off). Standard output is the launcher's, already UTF-8 and copied to the log.
 */
@Component(service = {})
public final class ConsoleComponent {
    private final LineConsole console;
    private final Thread reader;

    @Activate
    public ConsoleComponent(BundleContext context, @Reference CommandProcessor processor) {
        console = new LineConsole(processor, new CommandHelp(context)::answer, System.in, System.out,
                LineConsole.Terminal.LOCAL, null);
        reader = new Thread(console, "certwatch-console");
        // a read of System.in cannot be interrupted: a daemon, so a blocked read never holds the JVM
        reader.setDaemon(true);
        if (System.console() != null) {
            reader.start();
        }
    }

    @Deactivate
    void stop() {
        console.close();
        reader.interrupt();
    }
}
