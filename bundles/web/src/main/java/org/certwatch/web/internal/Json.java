package org.certwatch.web.internal;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.type.TypeFactory;
import com.fasterxml.jackson.databind.util.LRUMap;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * JSON in and out. Input is strict: unknown fields, trailing garbage and every value of the wrong JSON
 * type are refused with a title naming the field and both types — jackson would otherwise take 1.5 as
 * 1, 123 as "123" and true as "true".
 */
final class Json {
    /*
     * Its own type factory: the default one is a static of jackson-databind, whose cache would keep
     * this bundle's records, and with them every old revision of the bundle, alive across redeploys.
     */
    private static final ObjectMapper MAPPER = strict(new ObjectMapper()
            .setTypeFactory(TypeFactory.defaultInstance().withCache(new LRUMap<>(16, 200)))
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature())
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT) // 1.5 or 1e2 for a whole number
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)); // "2" for a number, 1 or "true" for a boolean

    /** A number or a boolean for a string: not covered by ALLOW_COERCION_OF_SCALARS, so refused here. */
    private static ObjectMapper strict(ObjectMapper mapper) {
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }

    private Json() {
    }

    static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** An RFC 9457 problem. */
    private record ProblemJson(String type, String title, int status, String instance) {
    }

    static byte[] problem(int status, String title, String instance) {
        return problem(Problem.BLANK, status, title, instance);
    }

    static byte[] problem(String type, int status, String title, String instance) {
        return write(new ProblemJson(type, title, status, instance));
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
        } catch (MismatchedInputException e) {
            String field = path(e);
            if (field.isEmpty()) {
                throw Problem.badRequest("send a JSON object with " + fields(type));
            }
            String sent = sent(body, e.getPath());
            throw Problem.badRequest("field '" + field + "' must be " + expected(e.getTargetType())
                    + (sent == null ? "" : ", not " + sent));
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof InputCoercionException c && !e.getPath().isEmpty()) {
                boolean integer = c.getTargetType() == Integer.TYPE || c.getTargetType() == Integer.class;
                throw Problem.badRequest("field '" + path(e) + "' must be a whole number from "
                        + (integer ? Integer.MIN_VALUE + " to " + Integer.MAX_VALUE : Long.MIN_VALUE + " to " + Long.MAX_VALUE));
            }
            throw Problem.badRequest("invalid JSON for " + fields(type) + ": " + brief(e.getOriginalMessage()));
        } catch (JsonParseException e) {
            throw Problem.badRequest("malformed JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + brief(e.getOriginalMessage()));
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

    /** The field as a client writes it: {@code targets[0].port}. */
    private static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                b.append(b.isEmpty() ? "" : ".").append(r.getFieldName());
            } else {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    /** What a field of this Java type takes, in JSON's words. */
    private static String expected(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == Long.class || type == Integer.class || type == Long.TYPE || type == Integer.TYPE) {
            return "a whole number";
        }
        if (type == Boolean.class || type == Boolean.TYPE) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    /**
     * What the client sent at the path, in JSON's words (never the value: it may be a password), or
     * null when the body cannot be read as a tree (then jackson stopped before a later syntax error).
     */
    private static String sent(byte[] body, List<JsonMappingException.Reference> path) {
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
        for (JsonMappingException.Reference r : path) {
            node = r.getFieldName() != null ? node.get(r.getFieldName()) : node.get(r.getIndex());
            if (node == null) {
                return null;
            }
        }
        return switch (node.getNodeType()) {
            case NUMBER -> node.isIntegralNumber() ? "a whole number" : "a decimal number";
            case STRING -> node.textValue().isEmpty() ? "an empty string" : "a string";
            case BOOLEAN -> node.booleanValue() ? "true" : "false";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NULL -> "null";
            default -> null;
        };
    }

    private static String fields(Class<?> type) {
        if (!type.isRecord()) {
            return type.getSimpleName();
        }
        return java.util.Arrays.stream(type.getRecordComponents()).map(c -> c.getName())
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
