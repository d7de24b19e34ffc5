package org.certwatch.web.internal;

import static org.certwatch.web.internal.Html.esc;

import java.util.ArrayList;
import java.util.List;
import org.certwatch.api.fleet.Group;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.UserDirectory;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.notify.NotificationDefinition;

/**
 * What a new server still lacks before it notifies anyone, shown on the dashboard to server
 * administrators until done: SMTP settings, a notification with an e-mail address or an SNMP target to
 * send to, and a changed first-start admin password. Each links to the page that does it.
 */
final class FirstSteps {
    record Step(String text, String link) {
    }

    private final Services services;

    FirstSteps(Services services) {
        this.services = services;
    }

    List<Step> missing(UserScope scope) {
        if (!scope.has(Permission.ADMINISTRATION) || !Group.ROOT.equals(scope.homeGroup())) {
            return List.of();
        }
        List<Step> steps = new ArrayList<>();
        boolean smtp = services.mailSettings().map(m -> m.get().host()).filter(h -> h != null && !h.isBlank()).isPresent();
        if (!smtp) {
            steps.add(new Step("Set the SMTP server, so notifications can go out by e-mail", "/settings"));
        }
        boolean snmpTargets = services.snmpSettings().map(s -> !s.targets().isEmpty()).orElse(false);
        List<NotificationDefinition> all = services.notifications().map(n -> n.list(scope)).orElse(List.of());
        if (all.stream().noneMatch(d -> d.enabled() && (!d.emailRecipients().isEmpty() || d.snmp() && snmpTargets))) {
            steps.add(new Step("Give a notification an e-mail address, or SNMP with a target: nothing is notified yet",
                    "/notifications"));
        }
        if (services.users().map(UserDirectory::firstStartAdminPassword).orElse(false)) {
            steps.add(new Step("Change the password admin got at the first start",
                    scope.user().equals("admin") ? "/account" : "/users#user-admin"));
        }
        return steps;
    }

    /** The dashboard's block, empty once everything is done. */
    String html(UserScope scope) {
        List<Step> steps = missing(scope);
        if (steps.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("<section class=\"first-steps\" id=\"first-steps\"><h2>First steps</h2><ol>");
        for (Step s : steps) {
            b.append("<li><a href=\"").append(esc(s.link())).append("\">").append(esc(s.text())).append("</a></li>");
        }
        return b.append("</ol></section>").toString();
    }
}
