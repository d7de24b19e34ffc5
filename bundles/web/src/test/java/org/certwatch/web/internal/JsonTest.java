package org.certwatch.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every request body of the API takes each field only in its own JSON type: nothing is coerced. */
class JsonTest {
    /** Every record the API reads from a request body. */
    static final List<Class<? extends Record>> BODIES = List.of(Actions.IssueBody.class, Actions.CaBody.class,
            Actions.RevokeBody.class, Actions.Pkcs12Body.class, Notifications.Body.class, Settings.SmtpBody.class,
            Settings.TestMailBody.class, Settings.ServerCertificateBody.class, Settings.SnmpBody.class,
            Settings.TargetBody.class, RolloverApi.StartBody.class, RolloverApi.ForceBody.class,
            RolloverApi.AdvanceBody.class);

    /** What a client might send instead of the JSON type a field takes, and how the refusal calls it. */
    private static final Map<String, String> STRINGS = Map.of("1", "a whole number", "1.5", "a decimal number",
            "true", "true", "[]", "an array", "{}", "an object");
    private static final Map<String, String> NUMBERS = Map.of("\"2\"", "a string", "1.5", "a decimal number",
            "1e2", "a decimal number", "2.0", "a decimal number", "false", "false", "\"\"", "an empty string",
            "[1]", "an array");
    private static final Map<String, String> BOOLEANS = Map.of("1", "a whole number", "0", "a whole number",
            "\"true\"", "a string");
    private static final Map<String, String> LISTS = Map.of("\"a\"", "a string", "1", "a whole number", "{}", "an object");

    private static <T> T read(String json, Class<T> type) {
        return Json.read(json.getBytes(StandardCharsets.UTF_8), type);
    }

    private static String refusal(String json, Class<?> type) {
        Problem p = assertThrows(Problem.class, () -> read(json, type), json);
        assertEquals(400, p.status(), json);
        return p.title();
    }

    @Test
    void everyFieldOfEveryBodyRefusesEveryOtherJsonTypeNamingTheFieldAndBothTypes() {
        int cases = 0;
        for (Class<? extends Record> body : BODIES) {
            for (RecordComponent c : body.getRecordComponents()) {
                Class<?> type = c.getType();
                Map<String, String> wrong = type == String.class ? STRINGS
                        : type == Long.class || type == Integer.class ? NUMBERS
                        : type == Boolean.class ? BOOLEANS
                        : LISTS;
                String expected = type == String.class ? "a string"
                        : type == Long.class || type == Integer.class ? "a whole number"
                        : type == Boolean.class ? "true or false" : "an array";
                for (var w : wrong.entrySet()) {
                    String json = "{\"" + c.getName() + "\":" + w.getKey() + "}";
                    assertEquals("field '" + c.getName() + "' must be " + expected + ", not " + w.getValue(),
                            refusal(json, body), body.getSimpleName() + " " + json);
                    cases++;
                }
                if (List.class.isAssignableFrom(type)) {
                    cases += elements(body, c);
                }
            }
        }
        assertTrue(cases > 150, "cases: " + cases);
    }

    /** A list's elements are checked as strictly as fields: a number among host names, 30.9 among days. */
    private static int elements(Class<?> body, RecordComponent c) {
        Class<?> element = (Class<?>) ((ParameterizedType) c.getGenericType()).getActualTypeArguments()[0];
        List<String[]> wrong = new ArrayList<>();
        if (element == String.class) {
            wrong.add(new String[] {"[\"ok\",7]", "[1]", "a string, not a whole number"});
            wrong.add(new String[] {"[false]", "[0]", "a string, not false"});
        } else if (element == Integer.class) {
            wrong.add(new String[] {"[30.9]", "[0]", "a whole number, not a decimal number"});
            wrong.add(new String[] {"[7,\"30\"]", "[1]", "a whole number, not a string"});
        } else {
            wrong.add(new String[] {"[1]", "[0]", "an object, not a whole number"});
            wrong.add(new String[] {"[{\"port\":\"162\"}]", "[0].port", "a whole number, not a string"});
        }
        for (String[] w : wrong) {
            String json = "{\"" + c.getName() + "\":" + w[0] + "}";
            assertEquals("field '" + c.getName() + w[1] + "' must be " + w[2], refusal(json, body), json);
        }
        return wrong.size();
    }

    @Test
    void theIssuesExamplesAreRefused() {
        assertEquals("field 'caId' must be a whole number, not a decimal number",
                refusal("{\"caId\":1.5,\"role\":\"AGENT\",\"host\":\"x\"}", Actions.IssueBody.class));
        assertEquals("field 'caId' must be a whole number, not a string",
                refusal("{\"caId\":\"2\",\"role\":\"AGENT\",\"host\":\"x\"}", Actions.IssueBody.class));
        assertEquals("field 'name' must be a string, not a whole number",
                refusal("{\"name\":123,\"scope\":\"CAS\"}", Notifications.Body.class));
        assertEquals("field 'thresholds[0]' must be a whole number, not a decimal number",
                refusal("{\"name\":\"x\",\"scope\":\"CAS\",\"thresholds\":[30.9]}", Notifications.Body.class));
        // never the value: it may be the password itself
        String password = refusal("{\"password\":12345678}", Actions.Pkcs12Body.class);
        assertEquals("field 'password' must be a string, not a whole number", password);
        assertFalse(password.contains("12345678"));
    }

    @Test
    void numbersOutOfRangeAreNamedWithTheirRange() {
        assertEquals("field 'caId' must be a whole number from -9223372036854775808 to 9223372036854775807",
                refusal("{\"caId\":99999999999999999999}", Actions.IssueBody.class));
        assertEquals("field 'targets[0].port' must be a whole number from -2147483648 to 2147483647",
                refusal("{\"targets\":[{\"port\":3000000000}]}", Settings.SnmpBody.class));
    }

    @Test
    void rightTypesAndNullsStillRead() {
        Actions.IssueBody issue = read("{\"caId\":2,\"role\":\"AGENT\",\"host\":\"pc\",\"alternativeNames\":[\"a\"],"
                + "\"subject\":null,\"notAfter\":\"2027-01-31T00:00:00Z\"}", Actions.IssueBody.class);
        assertEquals(2L, issue.caId());
        assertEquals(List.of("a"), issue.alternativeNames());
        Notifications.Body n = read("{\"name\":\"x\",\"thresholds\":[30,7],\"snmp\":false,\"enabled\":null}",
                Notifications.Body.class);
        assertEquals(List.of(30, 7), n.thresholds());
        Settings.SnmpBody snmp = read("{\"targets\":[{\"host\":\"h\",\"port\":162,\"version\":\"v3\",\"inform\":true}]}",
                Settings.SnmpBody.class);
        assertEquals(162, snmp.targets().get(0).port());
        assertEquals("send a JSON object with {reason}", refusal("[1]", Actions.RevokeBody.class));
        assertTrue(refusal("{\"reason\":\"x\"", Actions.RevokeBody.class).startsWith("malformed JSON"));
    }
}
