package org.certwatch.commons.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HtmlTextTest {
    @Test
    void escapesMarkupAndBothQuotes() {
        assertEquals("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;",
                HtmlText.escape("<a href=\"x\" title='y'>Tom & Jerry</a>"));
        assertEquals("", HtmlText.escape(null));
        assertEquals("42", HtmlText.escape(42));
    }
}
