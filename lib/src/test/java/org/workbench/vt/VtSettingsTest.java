package org.workbench.vt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.InvalidInputException;

class VtSettingsTest {
    @TempDir
    Path dir;

    @Test
    void defaults() {
        VtSettings s = VtSettings.resolve(Map.of(), k -> null, null);
        assertNull(s.apiKey());
        assertFalse(s.hasApiKey());
        assertEquals("https://www.virustotal.com", s.baseUrl());
        assertEquals(4, s.requestsPerMinute());
        assertEquals(Duration.ofSeconds(30), s.timeout());
        assertEquals(3, s.maxRetries());
    }

    @Test
    void keyPrecedenceMapThenEnvThenFile() throws IOException {
        Path f = dir.resolve("config.json");
        Files.writeString(f, "{\"virustotal\": {\"api_key\": \"from-file\", \"base_url\": \"http://127.0.0.1:9/\","
                + " \"requests_per_minute\": 0}}");
        assertEquals("from-file", VtSettings.resolve(Map.of(), k -> null, f).apiKey());
        assertEquals("from-env", VtSettings.resolve(Map.of(), k -> "VT_API_KEY".equals(k) ? "from-env" : null, f)
                .apiKey());
        VtSettings s = VtSettings.resolve(Map.of("api_key", "from-map"), k -> "from-env", f);
        assertEquals("from-map", s.apiKey());
        assertEquals("http://127.0.0.1:9", s.baseUrl());
        assertEquals(0, s.requestsPerMinute());
        assertFalse(s.toString().contains("from-map"), "the key must not be printed");
        assertTrue(VtSettings.resolve(Map.of("api_key", " "), k -> "", null).apiKey() == null);
    }

    @Test
    void rejectsBadSettings() throws IOException {
        assertThrows(InvalidInputException.class, () -> VtSettings.resolve(Map.of("apikey", "x"), k -> null, null));
        assertThrows(InvalidInputException.class,
                () -> VtSettings.resolve(Map.of("base_url", "ftp://x"), k -> null, null));
        assertThrows(InvalidInputException.class,
                () -> VtSettings.resolve(Map.of("max_retries", "3"), k -> null, null));
        Path bad = dir.resolve("config.json");
        Files.writeString(bad, "{not json");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> VtSettings.resolve(Map.of(), k -> null, bad));
        assertTrue(e.getMessage().contains("config.json"));
    }
}
