package org.workbench.analyzer.dhcp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.analysis.ZeekAnalysis;
import org.workbench.conformance.ConformanceTestCases;

/**
 * Runs the corpus' DHCP cases through {@link ZeekAnalysis} with the settings their manifests name and scores
 * dhcp.log and weird.log with compare.py.
 */
class DhcpConformanceTest {
    private static final String[] CASES = {
            "scripts.base.protocols.dhcp.dhcp-ack-msg-types",
            "scripts.base.protocols.dhcp.dhcp-max-tracked-transactions",
            "scripts.base.protocols.dhcp.dhcp-sub-opts",
    };

    @TempDir
    Path tmp;

    @Test
    void casesScoreAtLeast95Percent() throws Exception {
        Path corpus = ConformanceTestCases.corpus();
        List<String> failures = new ArrayList<>();
        for (String c : CASES) {
            double score = ConformanceTestCases.lowestScore(corpus, c, tmp.resolve(c), Set.of("dhcp", "weird"),
                    b -> b);
            if (score < 0.95) {
                failures.add(c + " " + score);
            }
        }
        assertTrue(failures.isEmpty(), "cases below 0.95: " + failures);
    }
}
