package org.workbench.vt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.workbench.InvalidInputException;

/**
 * How to reach VirusTotal: API key, base URL, rate limit, timeouts and retries.
 *
 * <p>Keys of a configuration map (all optional): {@code api_key} (string), {@code base_url} (default
 * {@value #DEFAULT_BASE_URL}), {@code requests_per_minute} (default {@value #DEFAULT_REQUESTS_PER_MINUTE}, the
 * public API's quota; 0 = no limit), {@code timeout_seconds} (per HTTP request, default 30),
 * {@code max_retries} (retries after HTTP 429, default 3), {@code retry_base_seconds} (first back-off, doubled on
 * each retry, default 15) and {@code retry_max_seconds} (cap of one back-off, default 60).
 *
 * <p>Where the API key comes from, first found wins: the configuration map's {@code api_key}; the environment
 * variable {@value #API_KEY_ENV}; the {@code api_key} of the {@code virustotal} object in the workbench's
 * {@code <home>/config.json} (e.g. {@code {"virustotal": {"api_key": "..."}}}), whose other keys are used
 * for settings the map does not give.
 *
 * @param apiKey            the API key, or null when none is configured
 * @param baseUrl           scheme, host and optional port, without trailing slash
 * @param requestsPerMinute process-wide request budget per minute for this base URL; 0 = unlimited
 * @param timeout           per-request timeout (connect and response)
 * @param maxRetries        how many times an HTTP 429 answer is retried
 * @param retryBase         back-off before the first retry (doubled each time)
 * @param retryMax          longest single back-off
 */
public record VtSettings(String apiKey, String baseUrl, int requestsPerMinute, Duration timeout, int maxRetries,
                         Duration retryBase, Duration retryMax) {
    /** The public API's address. */
    public static final String DEFAULT_BASE_URL = "https://www.virustotal.com";
    /** The public API's quota. */
    public static final int DEFAULT_REQUESTS_PER_MINUTE = 4;
    /** Environment variable holding the API key. */
    public static final String API_KEY_ENV = "VT_API_KEY";
    /** The configuration map keys understood. */
    public static final Set<String> KEYS = Set.of("api_key", "base_url", "requests_per_minute", "timeout_seconds",
            "max_retries", "retry_base_seconds", "retry_max_seconds");

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Checks the values, drops a blank key and trailing slashes of the base URL.
     *
     * @param apiKey            the API key, or null
     * @param baseUrl           {@code http(s)://host[:port]}
     * @param requestsPerMinute request budget per minute; 0 = unlimited
     * @param timeout           per-request timeout
     * @param maxRetries        retries after HTTP 429 (0 to 20)
     * @param retryBase         first back-off
     * @param retryMax          longest back-off
     * @throws InvalidInputException for a bad URL or out-of-range number
     */
    public VtSettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(retryBase, "retryBase");
        Objects.requireNonNull(retryMax, "retryMax");
        if (apiKey != null && apiKey.isBlank()) {
            apiKey = null;
        }
        URI u;
        try {
            u = URI.create(baseUrl);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("bad VirusTotal base_url '" + baseUrl + "': " + e.getMessage());
        }
        if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
            throw new InvalidInputException("bad VirusTotal base_url '" + baseUrl + "': expected http(s)://host[:port]");
        }
        while (baseUrl.endsWith("/")) {
            baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
        }
        if (requestsPerMinute < 0 || maxRetries < 0 || maxRetries > 20 || timeout.isNegative() || timeout.isZero()
                || retryBase.isNegative() || retryMax.isNegative()) {
            throw new InvalidInputException("bad VirusTotal settings: requests_per_minute >= 0, 0 <= max_retries"
                    + " <= 20, timeout_seconds > 0 and non-negative back-offs expected");
        }
    }

    /** @return whether an API key is configured */
    public boolean hasApiKey() {
        return apiKey != null;
    }

    /** @return the settings without the key, for messages (never print the key) */
    @Override
    public String toString() {
        return "VtSettings[apiKey=" + (apiKey == null ? "none" : "set") + ", baseUrl=" + baseUrl
                + ", requestsPerMinute=" + requestsPerMinute + ", timeout=" + timeout + ", maxRetries=" + maxRetries
                + ", retryBase=" + retryBase + ", retryMax=" + retryMax + "]";
    }

    /**
     * Resolves the settings as described in the class comment.
     *
     * @param config     a configuration map (may be empty)
     * @param env        environment lookup (normally {@code System::getenv})
     * @param configFile the workbench's {@code config.json}, or null; a missing file is fine
     * @return the settings
     * @throws InvalidInputException for an unknown key, a value of the wrong type, or an unreadable config file
     */
    public static VtSettings resolve(Map<String, ?> config, Function<String, String> env, Path configFile) {
        Map<String, ?> file = readConfigFile(configFile);
        for (Map<String, ?> m : java.util.List.of(config, file)) {
            for (String k : m.keySet()) {
                if (!KEYS.contains(k)) {
                    throw new InvalidInputException("unknown VirusTotal setting '" + k + "'; known: "
                            + new TreeSet<>(KEYS));
                }
            }
        }
        String key = string(config, "api_key");
        if (key == null || key.isBlank()) {
            key = env.apply(API_KEY_ENV);
        }
        if (key == null || key.isBlank()) {
            key = string(file, "api_key");
        }
        return new VtSettings(key,
                firstString(config, file, "base_url", DEFAULT_BASE_URL),
                (int) number(config, file, "requests_per_minute", DEFAULT_REQUESTS_PER_MINUTE),
                seconds(number(config, file, "timeout_seconds", 30)),
                (int) number(config, file, "max_retries", 3),
                seconds(number(config, file, "retry_base_seconds", 15)),
                seconds(number(config, file, "retry_max_seconds", 60)));
    }

    private static Duration seconds(double s) {
        return Duration.ofNanos((long) (s * 1e9));
    }

    private static Map<String, ?> readConfigFile(Path f) {
        if (f == null || !Files.exists(f)) {
            return Map.of();
        }
        try {
            JsonNode root = JSON.readTree(f.toFile());
            JsonNode vt = root == null ? null : root.get("virustotal");
            if (vt == null || vt.isNull()) {
                return Map.of();
            }
            if (!vt.isObject()) {
                throw new InvalidInputException("'virustotal' in " + f + " must be an object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> m = JSON.convertValue(vt, Map.class);
            return m;
        } catch (IOException e) {
            throw new InvalidInputException("cannot read the workbench configuration " + f + ": " + e.getMessage());
        }
    }

    private static String string(Map<String, ?> m, String k) {
        Object v = m.get(k);
        if (v != null && !(v instanceof String)) {
            throw new InvalidInputException("VirusTotal setting '" + k + "' must be a string");
        }
        return (String) v;
    }

    private static String firstString(Map<String, ?> a, Map<String, ?> b, String k, String dflt) {
        String v = string(a, k);
        if (v == null) {
            v = string(b, k);
        }
        return v == null ? dflt : v;
    }

    private static double number(Map<String, ?> a, Map<String, ?> b, String k, double dflt) {
        Object v = a.containsKey(k) ? a.get(k) : b.get(k);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Number n)) {
            throw new InvalidInputException("VirusTotal setting '" + k + "' must be a number, got " + v);
        }
        return n.doubleValue();
    }
}
