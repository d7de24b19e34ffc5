package org.certwatch.web.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.BufferUtil;

/**
 * A page's {@code multipart/form-data} post (the upload form: a file and a few text fields), parsed by Jetty
 * from the body already read and bounded by {@link Exchange#MAX_BODY}: all in memory, never a temporary file.
 */
final class Multipart {
    /** An upload form has a handful of fields; more is not a form of ours. */
    private static final int MAX_PARTS = 16;

    /** The text fields by name (the first of each) and the first file part, null when none was chosen. */
    record Form(Map<String, String> fields, byte[] file, String fileName) {
        String field(String name) {
            String v = fields.get(name);
            return v == null || v.isBlank() ? null : v.trim();
        }
    }

    private Multipart() {
    }

    static Form parse(byte[] body, String contentType) {
        String boundary = boundary(contentType);
        MultiPartFormData.Parser parser = new MultiPartFormData.Parser(boundary);
        parser.setMaxLength(Exchange.MAX_BODY);
        parser.setMaxMemoryFileSize(Exchange.MAX_BODY);
        parser.setMaxParts(MAX_PARTS);
        Map<String, String> fields = new LinkedHashMap<>();
        byte[] file = null;
        String fileName = null;
        try (MultiPartFormData.Parts parts = parser.parse(Content.Source.from(ByteBuffer.wrap(body))).get()) {
            for (MultiPart.Part part : parts) {
                if (part.getFileName() != null) {
                    if (file == null && part.getLength() > 0) {
                        file = BufferUtil.toArray(Content.Source.asByteBuffer(part.getContentSource()));
                        fileName = part.getFileName();
                    }
                } else if (part.getName() != null) {
                    fields.putIfAbsent(part.getName(), part.getContentAsString(StandardCharsets.UTF_8));
                }
            }
        } catch (ExecutionException | java.io.IOException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw Problem.badRequest("the form's multipart body cannot be read: " + cause.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Problem(503, "interrupted while reading the form");
        }
        return new Form(Map.copyOf(fields), file, fileName);
    }

    private static String boundary(String contentType) {
        Map<String, String> params = new java.util.HashMap<>();
        String type = contentType == null ? null : HttpField.getValueParameters(contentType, params);
        String boundary = params.get("boundary");
        if (type == null || !"multipart/form-data".equalsIgnoreCase(type.trim()) || boundary == null
                || boundary.isEmpty()) {
            throw new Problem(415, "send the upload form as multipart/form-data with a boundary");
        }
        return boundary;
    }
}
