package org.certwatch.web.internal;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.TypeFactory;
import com.fasterxml.jackson.databind.util.LRUMap;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** JSON in and out. Input is strict: unknown fields, wrong types and trailing garbage are refused with a title naming the field. */
final class Json {
    /*
     * Its own type factory: the default one is a static of jackson-databind, whose cache would keep
     * this bundle's records, and with them every old revision of the bundle, alive across redeploys.
     */
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setTypeFactory(TypeFactory.defaultInstance().withCache(new LRUMap<>(16, 200)))
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature())
            .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS);

    private Json() {
    }

    static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    static byte[] problem(int status, String title, String instance) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", "about:blank");
        p.put("title", title);
        p.put("status", status);
        p.put("instance", instance);
        return write(p);
    }

    static <T> T read(byte[] body, Class<T> type) {
        if (body.length == 0) {
            throw Problem.badRequest("empty body: send a JSON object with " + fields(type));
        }
        try {
            T value = MAPPER.readValue(body, type);
            if (value == null) {
                throw Problem.badRequest("send a JSON object with " + fields(type));
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw Problem.badRequest("unknown field '" + e.getPropertyName() + "'; accepted fields: " + fields(type));
        } catch (InvalidFormatException e) {
            throw Problem.badRequest("field '" + path(e) + "' has the wrong type or format: expected "
                    + e.getTargetType().getSimpleName());
        } catch (MismatchedInputException e) {
            String field = path(e);
            throw Problem.badRequest(field.isEmpty() ? "send a JSON object with " + fields(type)
                    : "field '" + field + "' has the wrong type: expected " + e.getTargetType().getSimpleName());
        } catch (JsonParseException e) {
            throw Problem.badRequest("malformed JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + brief(e.getOriginalMessage()));
        } catch (JsonMappingException e) {
            throw Problem.badRequest("invalid JSON for " + fields(type) + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw Problem.badRequest("unreadable JSON: " + e.getMessage());
        }
    }

    /** Jackson's message without its source excerpt. */
    private static String brief(String message) {
        int cut = message.indexOf(" (start marker");
        if (cut < 0) {
            cut = message.indexOf("\n");
        }
        return cut < 0 ? message : message.substring(0, cut);
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static String fields(Class<?> type) {
        if (!type.isRecord()) {
            return type.getSimpleName();
        }
        return java.util.Arrays.stream(type.getRecordComponents()).map(c -> c.getName())
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
