package org.workbench.analyzer.dns;

/**
 * Settings of the DNS analyzer. {@link #defaults()} matches Zeek 9 with its default scripts; each value names
 * the Zeek setting it mirrors.
 *
 * @param maxQueries               Zeek {@code dns_max_queries} (default 25): a message with more questions than
 *                                 this is taken as non-DNS (weird {@code DNS_Conn_count_too_large} and a protocol
 *                                 violation); 0 turns the check off
 * @param maxCompressionChainDepth Zeek {@code dns_max_compression_chain_depth} (default 20): how many compression
 *                                 pointers one name may follow before the weird
 *                                 {@code DNS_max_compression_chain_depth_exceeded}
 * @param skipAllAuth              Zeek {@code dns_skip_all_auth} (default true): do not parse authority records
 * @param skipAllAddl              Zeek {@code dns_skip_all_addl} (default true): do not parse additional records
 * @param logAuthAddl              add the {@code auth} and {@code addl} columns, as Zeek's policy script
 *                                 {@code protocols/dns/auth-addl} does (it also turns both skips off)
 * @param logOriginalQuery         add the {@code original_query} column, as Zeek's policy script
 *                                 {@code protocols/dns/log-original-query-case} does
 * @param maxPendingMsgs           Zeek {@code DNS::max_pending_msgs} (default 50): unmatched messages kept per
 *                                 transaction id before they are logged unmatched
 * @param maxPendingQueryIds       Zeek {@code DNS::max_pending_query_ids} (default 50): transaction ids with
 *                                 unmatched messages kept before all of them are logged unmatched
 */
public record DnsOptions(int maxQueries, int maxCompressionChainDepth, boolean skipAllAuth, boolean skipAllAddl,
                         boolean logAuthAddl, boolean logOriginalQuery, int maxPendingMsgs, int maxPendingQueryIds) {

    /**
     * @throws IllegalArgumentException when a count is negative
     */
    public DnsOptions {
        if (maxQueries < 0 || maxCompressionChainDepth < 0 || maxPendingMsgs < 0 || maxPendingQueryIds < 0) {
            throw new IllegalArgumentException("DNS limits must not be negative");
        }
    }

    /** Zeek 9's defaults with its default (base) scripts. */
    public static DnsOptions defaults() {
        return new DnsOptions(25, 20, true, true, false, false, 50, 50);
    }

    /** These options plus Zeek's {@code auth-addl} policy: authority and additional records parsed and logged. */
    public DnsOptions withAuthAddl() {
        return new DnsOptions(maxQueries, maxCompressionChainDepth, false, false, true, logOriginalQuery,
                maxPendingMsgs, maxPendingQueryIds);
    }

    /** These options plus Zeek's {@code log-original-query-case} policy (column {@code original_query}). */
    public DnsOptions withOriginalQuery() {
        return new DnsOptions(maxQueries, maxCompressionChainDepth, skipAllAuth, skipAllAddl, logAuthAddl, true,
                maxPendingMsgs, maxPendingQueryIds);
    }

    /** These options with another {@code dns_max_queries}. */
    public DnsOptions withMaxQueries(int n) {
        return new DnsOptions(n, maxCompressionChainDepth, skipAllAuth, skipAllAddl, logAuthAddl, logOriginalQuery,
                maxPendingMsgs, maxPendingQueryIds);
    }

    /** These options with another {@code dns_max_compression_chain_depth}. */
    public DnsOptions withMaxCompressionChainDepth(int n) {
        return new DnsOptions(maxQueries, n, skipAllAuth, skipAllAddl, logAuthAddl, logOriginalQuery,
                maxPendingMsgs, maxPendingQueryIds);
    }

    /** These options with other {@code dns_skip_all_auth} / {@code dns_skip_all_addl} values. */
    public DnsOptions withSkips(boolean skipAuth, boolean skipAddl) {
        return new DnsOptions(maxQueries, maxCompressionChainDepth, skipAuth, skipAddl, logAuthAddl, logOriginalQuery,
                maxPendingMsgs, maxPendingQueryIds);
    }

    /** These options with other pending-message limits ({@code DNS::max_pending_msgs}, {@code max_pending_query_ids}). */
    public DnsOptions withPendingLimits(int msgs, int queryIds) {
        return new DnsOptions(maxQueries, maxCompressionChainDepth, skipAllAuth, skipAllAddl, logAuthAddl,
                logOriginalQuery, msgs, queryIds);
    }
}
