package org.certwatch.web.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DashboardHtmlTest {
    @Test
    void everyCountLabelIsInsideTheChart() {
        int[] timeline = {7, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 3};
        List<String> months = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            months.add("Month" + i + " 2026");
        }
        String svg = DashboardHtml.timeline(new Views.Dashboard(Map.of(), Map.of(), Map.of(), List.of(), timeline,
                months, Instant.EPOCH, Duration.ofDays(90)));
        Matcher m = Pattern.compile("<text x=\"\\d+\" y=\"(-?\\d+)\"").matcher(svg);
        int labels = 0;
        while (m.find()) {
            int y = Integer.parseInt(m.group(1));
            assertTrue(y >= 12 && y <= 240, "a label at y=" + y + " is outside the 0..240 view box: " + svg);
            labels++;
        }
        assertTrue(labels == 24, svg);
        assertTrue(svg.contains("width=\"100%\""), "it shrinks to a phone's width: " + svg);
    }
}
