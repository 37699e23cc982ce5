package org.workbench.vt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * A small VirusTotal API v3 client: the file report by hash, {@code GET {base}/api/v3/files/{hash}} with the API
 * key in the {@code x-apikey} header (VirusTotal API v3 reference, "Get a file report"). The answer's
 * {@code data} object (a "file" object: {@code attributes.type_description}, {@code last_analysis_stats},
 * {@code last_analysis_results}, {@code last_analysis_date}, ...) is returned as parsed JSON; HTTP 404 (error
 * code {@code NotFoundError}) means VirusTotal has never seen the file.
 *
 * <p>Requests go through the process-wide {@link RateLimiter} of the base URL. HTTP 429 (quota exceeded) is
 * retried up to {@link VtSettings#maxRetries()} times with exponential back-off ({@code retryBase * 2^n},
 * capped by {@code retryMax}, or the server's {@code Retry-After} seconds when given, also capped). Thread-safe.
 */
public final class VtClient {
    private static final Pattern HASH = Pattern.compile("[0-9a-fA-F]{32}|[0-9a-fA-F]{40}|[0-9a-fA-F]{64}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final VtSettings settings;
    private final HttpClient http;
    private final RateLimiter limiter;

    /**
     * @param settings where and how to ask; must have an API key
     * @throws IllegalArgumentException when the settings have no API key
     */
    public VtClient(VtSettings settings) {
        this(settings, RateLimiter.shared(settings.baseUrl(), settings.requestsPerMinute()));
    }

    /**
     * @param settings where and how to ask; must have an API key
     * @param limiter  the request budget to use
     */
    public VtClient(VtSettings settings, RateLimiter limiter) {
        this.settings = Objects.requireNonNull(settings, "settings");
        if (!settings.hasApiKey()) {
            throw new IllegalArgumentException("no VirusTotal API key configured");
        }
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /**
     * Fetches a file report.
     *
     * @param hash      MD5, SHA-1 or SHA-256 (hex)
     * @param cancelled polled while waiting for the rate limit or a back-off
     * @return the {@code data} object of the answer, or empty when VirusTotal does not know the file (404)
     * @throws VtException          for a bad key, exhausted quota, other HTTP errors, a time-out, a network failure
     *                              or an answer that is not the documented JSON
     * @throws InterruptedException when interrupted or cancelled while waiting
     */
    public Optional<JsonNode> fileReport(String hash, BooleanSupplier cancelled)
            throws VtException, InterruptedException {
        if (hash == null || !HASH.matcher(hash).matches()) {
            throw new IllegalArgumentException("not an MD5, SHA-1 or SHA-256: " + hash);
        }
        URI uri = URI.create(settings.baseUrl() + "/api/v3/files/" + hash.toLowerCase(java.util.Locale.ROOT));
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(settings.timeout()).header("x-apikey", settings.apiKey())
                .header("accept", "application/json").GET().build();
        for (int attempt = 0; ; attempt++) {
            limiter.acquire(cancelled);
            HttpResponse<byte[]> resp;
            try {
                resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
            } catch (HttpTimeoutException e) {
                throw new VtException("VirusTotal did not answer within " + settings.timeout().toMillis() / 1000.0
                        + " s (" + uri.getHost() + ")", -1, e);
            } catch (ConnectException e) {
                throw new VtException("cannot connect to VirusTotal at " + settings.baseUrl() + ": " + e, -1, e);
            } catch (IOException e) {
                throw new VtException("network error talking to VirusTotal at " + settings.baseUrl() + ": " + e,
                        -1, e);
            }
            int status = resp.statusCode();
            if (status == 200) {
                JsonNode data = parse(resp.body(), status).get("data");
                if (data == null || !data.isObject() || !data.path("attributes").isObject()) {
                    throw new VtException("VirusTotal answered HTTP 200 without a file object"
                            + " ('data.attributes' missing)", status, null);
                }
                return Optional.of(data);
            }
            if (status == 404) {
                return Optional.empty();
            }
            if (status == 429 && attempt < settings.maxRetries()) {
                backOff(attempt, resp, cancelled);
                continue;
            }
            String detail = errorDetail(resp.body());
            if (status == 401 || status == 403) {
                throw new VtException("VirusTotal rejected the API key (HTTP " + status + detail + ")", status, null);
            }
            if (status == 429) {
                throw new VtException("VirusTotal quota exceeded (HTTP 429" + detail + ") after "
                        + settings.maxRetries() + " retries", status, null);
            }
            throw new VtException("VirusTotal answered HTTP " + status + detail, status, null);
        }
    }

    private void backOff(int attempt, HttpResponse<?> resp, BooleanSupplier cancelled) throws InterruptedException {
        long nanos = settings.retryBase().toNanos() << Math.min(attempt, 20);
        Optional<String> retryAfter = resp.headers().firstValue("retry-after");
        if (retryAfter.isPresent()) {
            try {
                nanos = Duration.ofSeconds(Long.parseLong(retryAfter.get().trim())).toNanos();
            } catch (NumberFormatException | ArithmeticException e) {
                // An HTTP date or garbage: keep the exponential back-off.
            }
        }
        nanos = Math.max(0, Math.min(nanos, settings.retryMax().toNanos()));
        long end = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = end - System.nanoTime()) {
            if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("cancelled during VirusTotal back-off");
            }
            long step = Math.min(left, 250_000_000L);
            Thread.sleep(step / 1_000_000, (int) (step % 1_000_000));
        }
    }

    private static JsonNode parse(byte[] body, int status) throws VtException {
        try {
            JsonNode n = JSON.readTree(body);
            if (n == null || !n.isObject()) {
                throw new VtException("VirusTotal answered HTTP " + status + " with a body that is not a JSON object",
                        status, null);
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new VtException("VirusTotal answered HTTP " + status + " with malformed JSON: "
                    + e.getOriginalMessage(), status, e);
        } catch (IOException e) {
            throw new VtException("cannot read VirusTotal's answer: " + e, status, e);
        }
    }

    /** {@code ": Code: message"} from a v3 error body ({@code {"error": {"code", "message"}}}), or "". */
    private static String errorDetail(byte[] body) {
        try {
            JsonNode err = JSON.readTree(body).path("error");
            String code = err.path("code").asText("");
            String msg = err.path("message").asText("");
            String s = (code + (code.isEmpty() || msg.isEmpty() ? "" : ": ") + msg).strip();
            if (s.length() > 300) {
                s = s.substring(0, 300) + "...";
            }
            return s.isEmpty() ? "" : ", " + s;
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
