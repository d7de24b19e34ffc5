package org.certwatch.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.User;
import org.certwatch.api.rollover.Rollover;
import org.certwatch.api.rollover.RolloverOptions;
import org.certwatch.api.rollover.RolloverRefusedException;
import org.certwatch.api.rollover.RolloverService;
import org.certwatch.api.rollover.RolloverStep;
import org.certwatch.api.rollover.StepState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * "Advance" over HTTP names the step it leaves: the API's {@code {"from": N}} and the page's hidden field
 * reach the service, a rollover that moved on answers 409 naming where it is, the old form still advances.
 */
class RolloverWebTest {
    private TestWeb web;
    private final OneRollover service = new OneRollover();
    private final String admin = TestWeb.basic("root");

    /** One rollover after step 1; records which advance was asked for (the gates are the fleet's, tested there). */
    private static final class OneRollover implements RolloverService {
        int completed = 1;
        final List<String> calls = new ArrayList<>();

        Rollover view() {
            List<StepState> steps = new ArrayList<>();
            for (RolloverStep s : RolloverStep.values()) {
                steps.add(new StepState(s, s.number() <= completed ? StepState.Status.DONE : StepState.Status.PENDING,
                        null, "", ""));
            }
            return new Rollover(1, 10, 11, completed, completed == 6 ? Rollover.State.DONE : Rollover.State.RUNNING,
                    steps, "root", TestWeb.START, 0, 0, List.of(), List.of(), List.of(), null, "", "");
        }

        @Override
        public List<Rollover> rollovers() {
            return List.of(view());
        }

        @Override
        public Optional<Rollover> rollover(long id) {
            return id == 1 ? Optional.of(view()) : Optional.empty();
        }

        @Override
        public Rollover start(long oldCaId, RolloverOptions options, String actor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public synchronized Rollover advance(long id, String actor) {
            calls.add("any");
            completed++;
            return view();
        }

        @Override
        public synchronized Rollover advance(long id, int from, String actor) {
            calls.add("from " + from);
            if (from < 0 || from > 6) {
                throw new IllegalArgumentException("from must be 0 to 6, not " + from);
            }
            if (from != completed) {
                throw new RolloverRefusedException("rollover 1 is no longer after step " + from + ": it is after step "
                        + completed, List.of());
            }
            completed++;
            return view();
        }

        @Override
        public Rollover force(long id, String reason, String actor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int requestEarlyReplication(long id, String actor) {
            return 0;
        }
    }

    @BeforeEach
    void start() throws Exception {
        web = new TestWeb();
        web.users.put("root", new User("root", "All", EnumSet.allOf(Permission.class), true, TestWeb.START));
        web.rollovers = service;
    }

    @AfterEach
    void stop() throws Exception {
        web.close();
    }

    private TestWeb.Reply advance(String body) throws Exception {
        return web.send("POST", "/api/v1/rollover/1/advance", body, "Authorization", admin);
    }

    @Test
    void theApiAdvancesOnlyFromTheStepItNames() throws Exception {
        TestWeb.Reply first = advance("{\"from\":1}");
        assertEquals(200, first.status(), first.body());
        assertTrue(first.body().contains("\"completed\":2"), first.body());
        // the second admin saw step 1 too: refused, told where the rollover is, nothing done
        TestWeb.Reply second = advance("{\"from\":1}");
        assertEquals(409, second.status(), second.body());
        assertEquals("application/problem+json", second.header("content-type"));
        assertTrue(second.body().contains("no longer after step 1: it is after step 2"), second.body());
        assertEquals(2, service.completed);

        assertEquals(400, advance("{\"from\":\"2\"}").status());
        assertEquals(400, advance("{\"from\":9}").status());
        assertEquals(400, advance("{\"step\":2}").status());
        assertEquals(2, service.completed);
        // scripts that send no body (or no from) advance whatever the step, as before
        assertEquals(200, advance(null).status());
        assertEquals(200, advance("{}").status());
        assertEquals(4, service.completed);
        assertEquals(List.of("from 1", "from 1", "from 9", "any", "any"), service.calls);
    }

    @Test
    void thePageSendsTheStepItShowed() throws Exception {
        String[] session = web.login("root");
        TestWeb.Reply page = web.get("/rollover", "Cookie", session[0]);
        assertTrue(page.body().contains("<input type=\"hidden\" name=\"from\" value=\"1\">"), page.body());
        String form = "csrf=" + session[1] + "&from=1";
        TestWeb.Reply pressed = web.send("POST", "/rollover/1/advance", form, "Cookie", session[0],
                "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(303, pressed.status(), pressed.body());
        // the same page, pressed again (or by a second admin who saw it): refused, not step 3
        TestWeb.Reply again = web.send("POST", "/rollover/1/advance", form, "Cookie", session[0],
                "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(409, again.status(), again.body());
        assertTrue(again.body().contains("no longer after step 1"), again.body());
        assertEquals(2, service.completed);
        assertEquals(400, web.send("POST", "/rollover/1/advance", "csrf=" + session[1] + "&from=two", "Cookie",
                session[0], "Content-Type", "application/x-www-form-urlencoded").status());
        // a hand-made form without the field advances whatever the step
        assertEquals(303, web.send("POST", "/rollover/1/advance", "csrf=" + session[1], "Cookie", session[0],
                "Content-Type", "application/x-www-form-urlencoded").status());
        assertEquals(3, service.completed);
    }
}
