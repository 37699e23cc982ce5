package org.workbench.analyzer.ssl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Zeek's names for SSL/TLS numbers ({@code base/protocols/ssl/consts.zeek}): cipher suites
 * ({@code SSL::cipher_desc}), named groups ({@code SSL::ec_curves}), alert descriptions
 * ({@code SSL::alert_descriptions}) and versions ({@code SSL::version_strings}), with Zeek's defaults for unknown
 * numbers ({@code unknown-N}, {@code TLSv13-draftN}). Loaded once from {@code ssl-constants.txt}.
 */
public final class SslConstants {
    private static final Map<Integer, String> CIPHERS = new HashMap<>();
    private static final Map<Integer, String> CURVES = new HashMap<>();
    private static final Map<Integer, String> ALERTS = new HashMap<>();
    private static final Map<Integer, String> VERSIONS = new HashMap<>();

    static {
        try (InputStream in = SslConstants.class.getResourceAsStream("ssl-constants.txt")) {
            if (in == null) {
                throw new IllegalStateException("ssl-constants.txt missing from the class path");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] p = line.split(" ", 3);
                int code = Integer.parseInt(p[1]);
                switch (p[0]) {
                    case "cipher" -> CIPHERS.put(code, p[2]);
                    case "curve" -> CURVES.put(code, p[2]);
                    case "alert" -> ALERTS.put(code, p[2]);
                    case "version" -> VERSIONS.put(code, p[2]);
                    default -> throw new IllegalStateException("bad line in ssl-constants.txt: " + line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private SslConstants() {
    }

    public static String cipher(int code) {
        return CIPHERS.getOrDefault(code, "unknown-" + code);
    }

    public static String curve(int code) {
        return CURVES.getOrDefault(code, "unknown-" + code);
    }

    public static String alert(int code) {
        return ALERTS.getOrDefault(code, "unknown-" + code);
    }

    public static String version(int code) {
        String v = VERSIONS.get(code);
        if (v != null) {
            return v;
        }
        if (code / 0xFF == 0x7F) {
            return "TLSv13-draft" + (code % 0x7F);
        }
        return "unknown-" + code;
    }
}
