package org.workbench.analyzer.ssl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.analysis.ZeekAnalysis;
import org.workbench.conformance.ConformanceTestCases;
import org.workbench.files.x509.X509Log;

/**
 * Runs the SSL/X.509 conformance cases that need no other protocol analyzer (no STARTTLS, RDP, WebSocket or QUIC)
 * through {@link ZeekAnalysis} and scores ssl.log and x509.log with the corpus' compare.py.
 */
class SslConformanceTest {
    /** case, trace, flags. */
    private static final String[][] CASES = {
            {"scripts.base.protocols.ssl.basic", "tls/tls-conn-with-extensions.pcap", ""},
            {"scripts.base.protocols.ssl.cve-2015-3194", null, ""},
            {"scripts.base.protocols.ssl.dhe", null, ""},
            {"scripts.base.protocols.ssl.ecdhe", null, ""},
            {"scripts.base.protocols.ssl.fragment", null, ""},
            {"scripts.base.protocols.ssl.tls-1.2", null, ""},
            {"scripts.base.protocols.ssl.tls-1.2-handshake-failure", null, ""},
            {"scripts.base.protocols.ssl.tls13-experiment", null, ""},
            {"scripts.base.protocols.ssl.tls13_encrypted_handshake_events", null, ""},
            {"scripts.base.protocols.ssl.dtls", null, ""},
            {"scripts.policy.protocols.ssl.certificate-request-info", null, ""},
            {"scripts.base.files.x509.1999", null, ""},
            {"scripts.base.files.x509.log-caching", null, ""},
            {"scripts.policy.protocols.ssl.log-hostcerts-only", null, "hostcerts"},
    };

    @TempDir
    Path tmp;

    @Test
    void casesScoreAtLeast95Percent() throws Exception {
        Path corpus = ConformanceTestCases.corpus();
        List<String> failures = new ArrayList<>();
        for (String[] c : CASES) {
            String manifest = Files.readString(corpus.resolve("cases").resolve(c[0]).resolve("manifest.json"));
            // X509::relog_known_certificates_after and log-hostcerts-only are not read from the configuration
            double relog = manifest.contains("relog_known_certificates_after = 0secs") ? 0 : 86400;
            boolean hostCertsOnly = c[2].contains("hostcerts");
            double score = ConformanceTestCases.lowestScore(corpus, c[0], tmp.resolve(c[0]), Set.of("ssl", "x509"),
                    b -> b.analyzer("ssl", env -> new SslAnalyzerFactory(env.logs(), env.weirds(), env.files(),
                                    new X509Log(env.logs(), relog, hostCertsOnly)))
                            .analyzer("dtls", env -> new SslAnalyzerFactory(env.logs(), env.weirds(), env.files(),
                                    new X509Log(env.logs(), relog, hostCertsOnly)).dtlsFactory()));
            if (score < 0.95) {
                failures.add(c[0] + " " + score);
            }
        }
        assertTrue(failures.isEmpty(), "cases below 0.95: " + failures);
    }
}
