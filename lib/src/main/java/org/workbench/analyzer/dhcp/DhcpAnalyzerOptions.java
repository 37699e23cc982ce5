package org.workbench.analyzer.dhcp;

/**
 * Settings of the DHCP analysis. {@link #defaults()} matches Zeek 9 with {@code base/protocols/dhcp}; each value
 * names the Zeek setting it mirrors.
 *
 * @param maxTxidWatchTime       Zeek {@code DHCP::max_txid_watch_time} (default 30 s): the longest a transaction
 *                               id is watched before its row is written
 * @param maxUidsPerLogEntry     Zeek {@code DHCP::max_uids_per_log_entry} (default 10): a row is written as soon
 *                               as it collects this many connection uids
 * @param maxMsgTypesPerLogEntry Zeek {@code DHCP::max_msg_types_per_log_entry} (default 50): a row is written as
 *                               soon as it collects this many message types
 * @param maxTrackedTransactions Zeek {@code DHCP::max_tracked_transactions} (default 100000): transaction ids kept
 *                               at once; beyond it the oldest is written early and the weird
 *                               {@code DHCP_max_tracked_transactions_exceeded} is raised; 0 turns the limit off
 * @param logSubOpts             add {@code circuit_id}, {@code agent_remote_id}, {@code subscriber_id} (relay agent
 *                               information sub-options 1, 2 and 6), as the policy script
 *                               {@code protocols/dhcp/sub-opts} does
 * @param logSoftware            add {@code client_software}, {@code server_software} (option 60, vendor class), as
 *                               the policy script {@code protocols/dhcp/software} does
 * @param logMsgOrig             add {@code msg_orig} (the sender of each message of {@code msg_types}), as the
 *                               policy script {@code protocols/dhcp/msg-orig} does
 */
public record DhcpAnalyzerOptions(double maxTxidWatchTime, int maxUidsPerLogEntry, int maxMsgTypesPerLogEntry,
                                  int maxTrackedTransactions, boolean logSubOpts, boolean logSoftware,
                                  boolean logMsgOrig) {

    /**
     * @throws IllegalArgumentException when a limit is negative (or the watch time not a number)
     */
    public DhcpAnalyzerOptions {
        if (!(maxTxidWatchTime >= 0) || maxUidsPerLogEntry < 0 || maxMsgTypesPerLogEntry < 0
                || maxTrackedTransactions < 0) {
            throw new IllegalArgumentException("DHCP limits must not be negative");
        }
    }

    /** Zeek 9's defaults with its base scripts (no policy columns). */
    public static DhcpAnalyzerOptions defaults() {
        return new DhcpAnalyzerOptions(30, 10, 50, 100_000, false, false, false);
    }

    /** These options with another {@code DHCP::max_txid_watch_time}, in seconds. */
    public DhcpAnalyzerOptions withMaxTxidWatchTime(double seconds) {
        return new DhcpAnalyzerOptions(seconds, maxUidsPerLogEntry, maxMsgTypesPerLogEntry, maxTrackedTransactions,
                logSubOpts, logSoftware, logMsgOrig);
    }

    /** These options with other {@code max_uids_per_log_entry} / {@code max_msg_types_per_log_entry}. */
    public DhcpAnalyzerOptions withEntryLimits(int maxUids, int maxMsgTypes) {
        return new DhcpAnalyzerOptions(maxTxidWatchTime, maxUids, maxMsgTypes, maxTrackedTransactions, logSubOpts,
                logSoftware, logMsgOrig);
    }

    /** These options with another {@code DHCP::max_tracked_transactions}. */
    public DhcpAnalyzerOptions withMaxTrackedTransactions(int n) {
        return new DhcpAnalyzerOptions(maxTxidWatchTime, maxUidsPerLogEntry, maxMsgTypesPerLogEntry, n, logSubOpts,
                logSoftware, logMsgOrig);
    }

    /** These options plus the {@code protocols/dhcp/sub-opts} columns. */
    public DhcpAnalyzerOptions withSubOpts() {
        return new DhcpAnalyzerOptions(maxTxidWatchTime, maxUidsPerLogEntry, maxMsgTypesPerLogEntry,
                maxTrackedTransactions, true, logSoftware, logMsgOrig);
    }

    /** These options plus the {@code protocols/dhcp/software} columns. */
    public DhcpAnalyzerOptions withSoftware() {
        return new DhcpAnalyzerOptions(maxTxidWatchTime, maxUidsPerLogEntry, maxMsgTypesPerLogEntry,
                maxTrackedTransactions, logSubOpts, true, logMsgOrig);
    }

    /** These options plus the {@code protocols/dhcp/msg-orig} column. */
    public DhcpAnalyzerOptions withMsgOrig() {
        return new DhcpAnalyzerOptions(maxTxidWatchTime, maxUidsPerLogEntry, maxMsgTypesPerLogEntry,
                maxTrackedTransactions, logSubOpts, logSoftware, true);
    }
}
