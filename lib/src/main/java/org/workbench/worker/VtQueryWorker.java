package org.workbench.worker;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.workbench.InvalidInputException;
import org.workbench.store.SampleInfo;
import org.workbench.vt.VtClient;
import org.workbench.vt.VtException;
import org.workbench.vt.VtReports;
import org.workbench.vt.VtSettings;

/**
 * The {@code vt_query} worker: VirusTotal's verdict on a sample, looked up by its MD5 (VirusTotal API v3,
 * {@code GET {base_url}/api/v3/files/{md5}}, see {@link VtClient}). No dependencies; applies to every type.
 * Setting: {@code max_scan_results} (default 5, the original workbench's {@code most_common(5)}; 0 = all).
 *
 * <p>Where it connects and with which key is fixed when the worker is made (not per request, so the key never
 * reaches the result cache): see {@link VtSettings} for the configuration keys ({@code api_key},
 * {@code base_url}, {@code requests_per_minute}, {@code timeout_seconds}, {@code max_retries},
 * {@code retry_base_seconds}, {@code retry_max_seconds}) and the key's sources (configuration map, environment
 * variable {@code VT_API_KEY}, {@code <home>/config.json}), which are read at each request.
 *
 * <p>Result when VirusTotal knows the file: {@code md5}, then the keys of {@link VtReports#summarize}
 * ({@code file_type, positives, suspicious, total, scan_date, scan_results, stats, sha256, permalink}), then
 * {@code fetched_at} (ISO 8601 UTC). When it does not (HTTP 404): {@code md5}, {@code not_found: true},
 * {@code fetched_at}. Both are cached like any result.
 *
 * <p>Without an API key, or when the lookup fails (key rejected, quota still exceeded after the retries,
 * time-out, network error, malformed answer), the worker throws {@link UncachedResultException} whose result is
 * {@code {md5, error}} (plus {@code http_status} when there was an answer): nothing is cached, so the next request
 * tries again, and the facade returns that document instead of raising.
 */
public final class VtQueryWorker implements Worker {
    /** The worker's name. */
    public static final String NAME = "vt_query";

    private final Map<String, Object> config;
    private final Function<String, String> env;
    private final Path configFile;
    private VtClient client;
    private VtSettings clientSettings;

    /**
     * @param config     VirusTotal settings (see {@link VtSettings}); may be empty
     * @param configFile the workbench's {@code config.json} (may be absent), or null
     * @param env        environment lookup, normally {@code System::getenv}
     * @throws InvalidInputException when the map has an unknown key or a value of the wrong type (the file is
     *                               read, and its problems reported as error results, at each request)
     */
    public VtQueryWorker(Map<String, ?> config, Path configFile, Function<String, String> env) {
        this.config = Map.copyOf(Objects.requireNonNull(config, "config"));
        this.configFile = configFile;
        this.env = Objects.requireNonNull(env, "env");
        VtSettings.resolve(this.config, k -> null, null); // fail early on a bad map; the file is read per request
    }

    /** @param config VirusTotal settings (see {@link VtSettings}); the key may also come from {@code VT_API_KEY} */
    public VtQueryWorker(Map<String, ?> config) {
        this(config, null, System::getenv);
    }

    /**
     * The standard worker of a workbench: settings from {@code <home>/config.json} and {@code VT_API_KEY}.
     *
     * @param home the workbench's home directory
     * @return the worker
     */
    public static VtQueryWorker fromHome(Path home) {
        return new VtQueryWorker(Map.of(), home.resolve("config.json"), System::getenv);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "VirusTotal file report by hash (API v3; needs VT_API_KEY)";
    }

    @Override
    public String version() {
        return "1.0";
    }

    @Override
    public Map<String, Object> defaultConfig() {
        return Map.of("max_scan_results", 5);
    }

    @Override
    public Map<String, Object> execute(WorkerContext ctx) throws InterruptedException {
        SampleInfo s = ctx.sample();
        Number max = ctx.config("max_scan_results", Number.class);
        VtSettings settings;
        try {
            settings = VtSettings.resolve(config, env, configFile);
        } catch (InvalidInputException e) {
            throw failure(s.md5(), e.getMessage(), -1);
        }
        if (!settings.hasApiKey()) {
            throw failure(s.md5(), "no VirusTotal API key: set VT_API_KEY, or \"api_key\" in the \"virustotal\""
                    + " object of the workbench's config.json" + (configFile == null ? "" : " (" + configFile + ")"),
                    -1);
        }
        Optional<JsonNode> report;
        try {
            report = client(settings).fileReport(s.md5(), ctx::isCancelled);
        } catch (VtException e) {
            throw failure(s.md5(), e.getMessage(), e.status());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("md5", s.md5());
        if (report.isEmpty()) {
            out.put("not_found", true);
        } else {
            out.putAll(VtReports.summarize(report.get(), settings.baseUrl(), max == null ? 5 : max.intValue()));
        }
        out.put("fetched_at", SampleInfo.formatInstant(Instant.now()));
        return out;
    }

    /** One HTTP client per settings, reused across requests (it owns threads and connections). */
    private synchronized VtClient client(VtSettings settings) {
        if (client == null || !settings.equals(clientSettings)) {
            client = new VtClient(settings);
            clientSettings = settings;
        }
        return client;
    }

    private static UncachedResultException failure(String md5, String message, int status) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("md5", md5);
        r.put("error", message);
        if (status >= 0) {
            r.put("http_status", status);
        }
        return new UncachedResultException(message, r);
    }
}
