package org.workbench.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.workbench.analyzer.dns.DnsOptions;
import org.workbench.flow.TrackerOptions;

class AnalysisConfigTest {
    private static AnalysisConfig zeek(boolean bare, List<String> loads, List<String> redefs, List<String> flags,
                                       String filter) {
        return AnalysisConfig.fromZeek(bare, loads, redefs, flags, filter);
    }

    @Test
    void defaultsRunEverythingWithZeekDefaults() {
        AnalysisConfig c = AnalysisConfig.defaults();
        for (String a : AnalysisConfig.ANALYZER_NAMES) {
            assertTrue(c.analyzerActive(a), a);
        }
        assertTrue(c.verifyChecksums());
        assertNull(c.bpfFilter());
        assertFalse(c.jsonLogs());
        assertEquals(DnsOptions.defaults(), c.dnsOptions());
        TrackerOptions t = c.applyTo(TrackerOptions.defaults());
        assertEquals(TrackerOptions.ZEEK_LIKELY_SERVER_TCP_PORTS, t.likelyServerTcpPorts());
        assertEquals(TrackerOptions.ZEEK_LIKELY_SERVER_UDP_PORTS, t.likelyServerUdpPorts());
    }

    @Test
    void bareModeRunsOnlyLoadedAnalyzersAndTheirPorts() {
        AnalysisConfig c = zeek(true, List.of("base/protocols/conn", "base/frameworks/notice/weird",
                "base/protocols/http"), List.of(), List.of("-b"), null);
        assertTrue(c.analyzerActive("http"));
        assertFalse(c.analyzerActive("dns"));
        assertFalse(c.analyzerActive("ssl"));
        TrackerOptions t = c.applyTo(TrackerOptions.defaults());
        assertEquals(Set.of(80, 81, 631, 1080, 3128, 8000, 8080, 8888), t.likelyServerTcpPorts());
        assertEquals(AnalysisConfig.TUNNEL_UDP_PORTS, t.likelyServerUdpPorts());

        AnalysisConfig dns = zeek(true, List.of("policy/protocols/dns/auth-addl"), List.of(), List.of(), null);
        assertTrue(dns.analyzerActive("dns"));
        assertTrue(dns.dnsOptions().logAuthAddl());
        assertTrue(dns.applyTo(TrackerOptions.defaults()).likelyServerUdpPorts().containsAll(Set.of(53, 137, 5353)));

        AnalysisConfig ftp = zeek(true, List.of("base/protocols/ftp"), List.of(), List.of(), null);
        assertTrue(ftp.analyzerActive("ssl"), "ftp loads ssl (gridftp)");
        assertTrue(ftp.applyTo(TrackerOptions.defaults()).likelyServerTcpPorts().containsAll(Set.of(21, 443)));
        assertTrue(zeek(true, List.of("base/files/x509"), List.of(), List.of(), null).analyzerActive("x509"));
        assertTrue(zeek(true, List.of("protocols/ssl/validate-certs"), List.of(), List.of(), null)
                .analyzerActive("ssl"));
    }

    @Test
    void analyzerSettings() {
        AnalysisConfig c = zeek(true, List.of("base/protocols/dns", "base/protocols/http"),
                List.of("redef Analyzer::disable_all = T;",
                        "redef Analyzer::requested_analyzers += { Analyzer::ANALYZER_HTTP, };"), List.of(), null);
        assertTrue(c.analyzerActive("http"));
        assertFalse(c.analyzerActive("dns"));
        AnalysisConfig d = zeek(false, List.of(), List.of(
                "redef Analyzer::disabled_analyzers += { Analyzer::ANALYZER_DNS, };"), List.of(), null);
        assertFalse(d.analyzerActive("dns"));
        assertTrue(d.analyzerActive("http"));
    }

    @Test
    void settings() {
        AnalysisConfig c = zeek(false, List.of("protocols/dns/log-original-query-case",
                "protocols/conn/mac-logging", "protocols/conn/vlan-logging"), List.of(
                "redef Site::local_nets = { 125.190.109.0/24 };", "LogAscii::use_json=T",
                "dns_max_compression_chain_depth=5", "redef dns_skip_all_addl = F;",
                "redef HTTP::default_capture_password = T;", "redef report_gaps_for_partial = T;",
                "redef max_analyzer_violations = 5;", "redef tcp_inactivity_timeout = 2 mins;",
                "redef Log::default_scope_sep = \"_\";",
                "redef Log::default_field_name_map = { [\"id.orig_h\"] = \"src_ip\", [\"id.orig_p\"] = \"src_port\" };",
                "redef DHCP::max_tracked_transactions = 5;"), List.of("-C"), null);
        assertFalse(c.verifyChecksums());
        assertTrue(c.jsonLogs());
        assertEquals(List.of("125.190.109.0/24"), c.localNets());
        assertEquals(5, c.dnsOptions().maxCompressionChainDepth());
        assertFalse(c.dnsOptions().skipAllAddl());
        assertTrue(c.dnsOptions().logOriginalQuery());
        assertTrue(c.httpCapturePassword());
        assertTrue(c.connL2Addresses());
        assertTrue(c.connVlans());
        assertEquals("_", c.scopeSeparator());
        assertEquals(Map.of("id.orig_h", "src_ip", "id.orig_p", "src_port"), c.fieldNameMap());
        assertEquals("5", c.setting("DHCP::max_tracked_transactions").orElseThrow());
        TrackerOptions t = c.applyTo(TrackerOptions.defaults());
        assertEquals(List.of("125.190.109.0/24"), t.localNets());
        assertTrue(t.reportGapsForPartial());
        assertEquals(5, t.maxAnalyzerViolations());
        assertEquals(120.0, t.tcpInactivityTimeout());
        assertFalse(zeek(false, List.of(), List.of("ignore_checksums=T"), List.of(), null).verifyChecksums());
        assertEquals(2, c.tunnelMaxDepth());
        assertEquals(1, zeek(false, List.of(), List.of("Tunnel::max_depth=1"), List.of(), null).tunnelMaxDepth());
        assertFalse(zeek(false, List.of(), List.of("Tunnel::delay_teredo_confirmation=F"), List.of(), null)
                .delayTeredoConfirmation());
        assertThrows(IllegalArgumentException.class, () -> AnalysisConfig.parseSetting("@load foo"));
    }

    @Test
    void captureFilters() {
        assertEquals("port 53", zeek(false, List.of(), List.of(), List.of(), "port 53").bpfFilter());
        assertEquals("vlan", zeek(false, List.of(), List.of("PacketFilter::restricted_filter=vlan"), List.of(), null)
                .bpfFilter());
        assertEquals("(tcp) and (vlan)", zeek(false, List.of(), List.of("PacketFilter::restricted_filter=vlan"),
                List.of(), "tcp").bpfFilter());
    }
}
