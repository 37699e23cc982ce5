package org.workbench.analysis;

import org.workbench.flow.ConnId;

/**
 * Receives "weird" events: traffic that breaks a protocol's rules or the analysis' expectations. Each becomes
 * a weird.log row (fields {@code ts, uid, id.*, name, addl, notice, peer, source}); names are Zeek's weird
 * names (Zeek documentation, "Weird" and the weird name list).
 */
public interface WeirdReporter {
    /**
     * @param ts     time of the packet that triggered it, seconds since the epoch
     * @param name   the weird name, e.g. {@code truncated_IP} or {@code DNS_truncated_len_lt_hdr_len}
     * @param uid    the connection's UID, or null for weirds outside a connection
     * @param id     the connection's or packet's endpoints, or null when unknown
     * @param addl   additional information, or null
     * @param source the component that raised it (e.g. {@code "DNS"}, {@code "IP"}), or null
     */
    void weird(double ts, String name, String uid, ConnId id, String addl, String source);
}
