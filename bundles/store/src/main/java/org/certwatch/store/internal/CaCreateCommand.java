package org.certwatch.store.internal;

import java.util.List;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code certwatch:ca-create SUBJECT [DAYS] [KEYTYPE]}: a Function, as no Java method can have that name. */
@Component(service = Function.class, property = {"osgi.command.scope=certwatch", "osgi.command.function=ca-create",
        "certwatch.usage=ca-create SUBJECT [DAYS] [KEYTYPE]: a new CA, e.g. ca-create \"CN=Example CA\" 3650 ec-p256"})
public final class CaCreateCommand implements Function {
    private final StoreCommands commands;

    @Activate
    public CaCreateCommand(@Reference StoreCommands commands) {
        this.commands = commands;
    }

    @Override
    public Object execute(CommandSession session, List<Object> arguments) {
        return commands.caCreate(arguments.stream().map(String::valueOf).toList());
    }
}
