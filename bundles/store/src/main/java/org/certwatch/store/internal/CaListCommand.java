package org.certwatch.store.internal;

import java.util.List;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code certwatch:ca-list}: a Function, as no Java method can have that name. */
@Component(service = Function.class, property = {"osgi.command.scope=certwatch", "osgi.command.function=ca-list",
        "certwatch.usage=ca-list: the CAs with their validity and status"})
public final class CaListCommand implements Function {
    private final StoreCommands commands;

    @Activate
    public CaListCommand(@Reference StoreCommands commands) {
        this.commands = commands;
    }

    @Override
    public Object execute(CommandSession session, List<Object> arguments) {
        return commands.caList();
    }
}
