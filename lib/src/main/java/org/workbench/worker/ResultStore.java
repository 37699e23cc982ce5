package org.workbench.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.workbench.WorkbenchException;
import org.workbench.store.AtomicFiles;
import org.workbench.store.SampleInfo;

/**
 * Durable cache of worker results: one JSON file per (worker, sample, cache key) at
 * {@code <home>/results/<worker>/<md5>.<first 32 hex digits of the key>.json}, written atomically. The file is an
 * envelope ({@code worker, version, md5, type_tag, cache_key, config, dependencies, created, result}); an envelope
 * that does not match the request exactly (including the sample's type tag, which can change from
 * {@code unknown} to a specific tag), or cannot be parsed, is a cache miss.
 */
final class ResultStore {
    private final Path dir;
    private final ObjectMapper json = new ObjectMapper();

    ResultStore(Path dir) {
        this.dir = dir;
    }

    private Path file(String worker, String md5, String key) {
        return dir.resolve(worker).resolve(md5 + "." + key.substring(0, 32) + ".json");
    }

    /** @return the cached result, or null when there is none (or it is unreadable) */
    LinkedHashMap<String, Object> read(String worker, String md5, String typeTag, String key) {
        Path f = file(worker, md5, key);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(f);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new WorkbenchException("cannot read the cached result of worker '" + worker + "' for sample "
                    + md5 + " at " + f + ": " + e, e);
        }
        return parse(bytes, worker, md5, typeTag, key);
    }

    /** Stores a result and returns it as parsed back from the stored JSON. */
    LinkedHashMap<String, Object> write(String worker, String version, String md5, String typeTag, String key,
                                        Map<String, Object> config, Map<String, String> depKeys,
                                        Map<String, Object> result) {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("worker", worker);
        env.put("version", version);
        env.put("md5", md5);
        env.put("type_tag", typeTag);
        env.put("cache_key", key);
        env.put("config", config);
        env.put("dependencies", depKeys);
        env.put("created", SampleInfo.formatInstant(Instant.now()));
        env.put("result", result);
        byte[] bytes;
        try {
            bytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(env);
        } catch (JsonProcessingException e) {
            throw new WorkbenchException("cannot serialize the result of worker '" + worker + "': " + e, e);
        }
        Path f = file(worker, md5, key);
        try {
            AtomicFiles.write(f, bytes);
        } catch (IOException e) {
            throw new WorkbenchException("cannot store the result of worker '" + worker + "' for sample " + md5
                    + " at " + f + ": " + e, e);
        }
        LinkedHashMap<String, Object> parsed = parse(bytes, worker, md5, typeTag, key);
        if (parsed == null) {
            throw new IllegalStateException("a result just written could not be read back: " + f);
        }
        return parsed;
    }

    private LinkedHashMap<String, Object> parse(byte[] bytes, String worker, String md5, String typeTag, String key) {
        try {
            JsonNode env = json.readTree(bytes);
            if (env == null || !worker.equals(env.path("worker").asText()) || !md5.equals(env.path("md5").asText())
                    || !typeTag.equals(env.path("type_tag").asText())
                    || !key.equals(env.path("cache_key").asText()) || !env.path("result").isObject()) {
                return null;
            }
            return json.convertValue(env.get("result"), JsonDocuments.MAP);
        } catch (IOException | IllegalArgumentException e) {
            return null; // damaged cache entry: recompute and overwrite it
        }
    }
}
