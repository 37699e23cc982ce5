package org.workbench.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.workbench.InvalidInputException;

/** Checks, canonical serialization and hashing of the JSON-like documents workers consume and produce. */
final class JsonDocuments {
    private static final int MAX_DEPTH = 200;
    static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };
    /** Sorted keys: the same content always gives the same bytes, hence the same hash. */
    static final ObjectMapper CANONICAL = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private JsonDocuments() {
    }

    /**
     * Checks that a value is JSON-like: null, String, Boolean, finite Number, {@code Map<String, ?>} or
     * {@code List<?>} of those.
     *
     * @param value the value
     * @param what  what it is, for the error message
     * @throws InvalidInputException naming the first offending path
     */
    static void check(Object value, String what) {
        check(value, what, "$", 0);
    }

    private static void check(Object v, String what, String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new InvalidInputException(what + " nests deeper than " + MAX_DEPTH + " levels at " + path
                    + " (a cycle?)");
        }
        if (v == null || v instanceof String || v instanceof Boolean) {
            return;
        }
        if (v instanceof Double d && (d.isNaN() || d.isInfinite())
                || v instanceof Float f && (f.isNaN() || f.isInfinite())) {
            throw new InvalidInputException(what + " holds a non-finite number at " + path + ": " + v);
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte
                || v instanceof Double || v instanceof Float || v instanceof BigInteger || v instanceof BigDecimal
                || v instanceof AtomicInteger || v instanceof AtomicLong) {
            return;
        }
        if (v instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String k)) {
                    throw new InvalidInputException(what + " has a non-string map key at " + path + ": "
                            + e.getKey());
                }
                check(e.getValue(), what, path + "." + k, depth + 1);
            }
            return;
        }
        if (v instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                check(l.get(i), what, path + "[" + i + "]", depth + 1);
            }
            return;
        }
        throw new InvalidInputException(what + " holds a " + v.getClass().getName() + " at " + path
                + "; only maps, lists, strings, numbers, booleans and null are allowed");
    }

    /** @return the canonical JSON bytes (sorted keys) of a checked document */
    static byte[] canonicalBytes(Object doc) {
        try {
            return CANONICAL.writeValueAsBytes(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a checked JSON-like document could not be serialized", e);
        }
    }

    /** @return hex SHA-256 of the canonical JSON of a checked document */
    static String hash(Object doc) {
        return sha256(canonicalBytes(doc));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Serializes and parses back a checked map, so callers always see the same types as from the cache. */
    static LinkedHashMap<String, Object> roundTrip(Map<String, ?> doc) {
        try {
            return CANONICAL.readValue(CANONICAL.writeValueAsBytes(doc), MAP);
        } catch (IOException e) {
            throw new IllegalStateException("a checked JSON-like document could not be serialized", e);
        }
    }
}
