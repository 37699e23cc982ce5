package org.workbench.analysis;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.workbench.flow.ConnId;
import org.workbench.zeeklog.LogRecord;
import org.workbench.zeeklog.LogSchema;
import org.workbench.zeeklog.LogSink;

/**
 * Turns weirds into weird.log records the way Zeek 9 does with its default scripts.
 *
 * <p>Two filters apply, in order:
 * <ol>
 *   <li>the core's rate limiting (Zeek source {@code Reporter::Weird}, {@code WeirdState.cc}; settings
 *       {@code Weird::sampling_threshold} = 25, {@code Weird::sampling_rate} = 1000,
 *       {@code Weird::sampling_duration} = 10 min in {@code init-bare.zeek}): per connection (weirds with a
 *       uid), per address pair (weirds with endpoints but no uid) or per name (weirds with neither), the first
 *       25 of a name pass, then one in 1000; the counters restart after the sampling duration;</li>
 *   <li>the script layer ({@code scripts/base/frameworks/notice/weird.zeek}): the action of the weird's name
 *       ({@code Weird::actions}, default {@code ACTION_LOG}) may ignore it or log it once per connection,
 *       per originator host or once overall; a (name, connection) pair already logged is suppressed for
 *       10 minutes ({@code weird_ignore}, except checksum weirds); notice actions set {@code notice} to T.</li>
 * </ol>
 * {@code peer} is {@code "zeek"} ({@code peer_description}) as Zeek writes it when reading a trace. Times are
 * the {@code ts} values passed in (Zeek uses network time); expiry runs on the latest {@code ts} seen.
 * Not thread-safe.
 */
public final class WeirdLog implements WeirdReporter {
    /** Field names and types of Zeek 9's weird.log ({@code Weird::Info}). */
    public static final LogSchema SCHEMA = LogSchema.builder("weird")
            .field("ts", "time")
            .field("uid", "string")
            .field("id.orig_h", "addr")
            .field("id.orig_p", "port")
            .field("id.resp_h", "addr")
            .field("id.resp_p", "port")
            .field("name", "string")
            .field("addl", "string")
            .field("notice", "bool")
            .field("peer", "string")
            .field("source", "string")
            .build();

    /** Zeek's {@code Weird::Action}. */
    public enum Action {
        UNSPECIFIED, IGNORE, LOG, LOG_ONCE, LOG_PER_CONN, LOG_PER_ORIG, NOTICE, NOTICE_ONCE, NOTICE_PER_CONN,
        NOTICE_PER_ORIG;

        boolean limiting() {
            return this == LOG_ONCE || this == LOG_PER_CONN || this == LOG_PER_ORIG || this == NOTICE_ONCE
                    || this == NOTICE_PER_CONN || this == NOTICE_PER_ORIG;
        }

        boolean notice() {
            return this == NOTICE || this == NOTICE_ONCE || this == NOTICE_PER_CONN || this == NOTICE_PER_ORIG;
        }
    }

    /** Zeek 9's default {@code Weird::actions}; names not listed log every time. */
    public static final Map<String, Action> DEFAULT_ACTIONS = Map.ofEntries(
            Map.entry("unsolicited_SYN_response", Action.IGNORE),
            Map.entry("above_hole_data_without_any_acks", Action.LOG),
            Map.entry("active_connection_reuse", Action.LOG),
            Map.entry("bad_HTTP_reply", Action.LOG),
            Map.entry("bad_HTTP_version", Action.LOG),
            Map.entry("bad_ICMP_checksum", Action.LOG_PER_ORIG),
            Map.entry("bad_ident_port", Action.LOG),
            Map.entry("bad_ident_reply", Action.LOG),
            Map.entry("bad_ident_request", Action.LOG),
            Map.entry("bad_rlogin_prolog", Action.LOG),
            Map.entry("bad_rsh_prolog", Action.LOG),
            Map.entry("rsh_text_after_rejected", Action.LOG),
            Map.entry("bad_RPC", Action.LOG_PER_ORIG),
            Map.entry("bad_RPC_program", Action.LOG),
            Map.entry("bad_SYN_ack", Action.LOG),
            Map.entry("bad_TCP_checksum", Action.LOG_PER_ORIG),
            Map.entry("bad_UDP_checksum", Action.LOG_PER_ORIG),
            Map.entry("baroque_SYN", Action.LOG),
            Map.entry("base64_illegal_encoding", Action.LOG),
            Map.entry("connection_originator_SYN_ack", Action.LOG_PER_ORIG),
            Map.entry("contentline_size_exceeded", Action.LOG),
            Map.entry("crud_trailing_HTTP_request", Action.LOG),
            Map.entry("data_after_reset", Action.LOG),
            Map.entry("data_before_established", Action.LOG),
            Map.entry("DNS_AAAA_neg_length", Action.LOG),
            Map.entry("DNS_Conn_count_too_large", Action.LOG),
            Map.entry("DNS_NAME_too_long", Action.LOG),
            Map.entry("DNS_RR_bad_length", Action.LOG),
            Map.entry("DNS_RR_length_mismatch", Action.LOG),
            Map.entry("DNS_RR_unknown_type", Action.LOG),
            Map.entry("DNS_label_forward_compress_offset", Action.LOG_PER_ORIG),
            Map.entry("DNS_label_len_gt_name_len", Action.LOG_PER_ORIG),
            Map.entry("DNS_label_len_gt_pkt", Action.LOG_PER_ORIG),
            Map.entry("DNS_label_too_long", Action.LOG_PER_ORIG),
            Map.entry("DNS_truncated_RR_rdlength_lt_len", Action.LOG),
            Map.entry("DNS_truncated_ans_too_short", Action.LOG),
            Map.entry("DNS_truncated_len_lt_hdr_len", Action.LOG),
            Map.entry("DNS_truncated_quest_too_short", Action.LOG),
            Map.entry("excessive_data_without_further_acks", Action.LOG),
            Map.entry("excess_RPC", Action.LOG_PER_ORIG),
            Map.entry("FIN_advanced_last_seq", Action.LOG),
            Map.entry("FIN_after_reset", Action.IGNORE),
            Map.entry("FIN_storm", Action.NOTICE_PER_ORIG),
            Map.entry("FTP_max_command_length_exceeded", Action.LOG_PER_CONN),
            Map.entry("FTP_too_many_pending_commands", Action.LOG_PER_CONN),
            Map.entry("FTP_user_too_long", Action.LOG_PER_CONN),
            Map.entry("FTP_reply_msg_too_long", Action.LOG_PER_CONN),
            Map.entry("FTP_arg_too_long", Action.LOG_PER_CONN),
            Map.entry("FTP_password_too_long", Action.LOG_PER_CONN),
            Map.entry("HTTP_bad_chunk_size", Action.LOG),
            Map.entry("HTTP_chunked_transfer_for_multipart_message", Action.LOG),
            Map.entry("HTTP_excessive_pipelining", Action.LOG),
            Map.entry("HTTP_overlapping_messages", Action.LOG),
            Map.entry("HTTP_response_before_request", Action.LOG),
            Map.entry("unknown_HTTP_method", Action.LOG),
            Map.entry("HTTP_version_mismatch", Action.LOG),
            Map.entry("ident_request_addendum", Action.LOG),
            Map.entry("inappropriate_FIN", Action.LOG),
            Map.entry("inflate_failed", Action.LOG),
            Map.entry("invalid_irc_global_users_reply", Action.LOG),
            Map.entry("irc_invalid_command", Action.LOG),
            Map.entry("irc_invalid_dcc_message_format", Action.LOG),
            Map.entry("irc_invalid_invite_message_format", Action.LOG),
            Map.entry("irc_invalid_join_line", Action.LOG),
            Map.entry("irc_invalid_kick_message_format", Action.LOG),
            Map.entry("irc_invalid_line", Action.LOG),
            Map.entry("irc_invalid_mode_message_format", Action.LOG),
            Map.entry("irc_invalid_names_line", Action.LOG),
            Map.entry("irc_invalid_njoin_line", Action.LOG),
            Map.entry("irc_invalid_notice_message_format", Action.LOG),
            Map.entry("irc_invalid_oper_message_format", Action.LOG),
            Map.entry("irc_invalid_privmsg_message_format", Action.LOG),
            Map.entry("irc_invalid_reply_number", Action.LOG),
            Map.entry("irc_invalid_squery_message_format", Action.LOG),
            Map.entry("irc_invalid_topic_reply", Action.LOG),
            Map.entry("irc_invalid_who_line", Action.LOG),
            Map.entry("irc_invalid_who_message_format", Action.LOG),
            Map.entry("irc_invalid_whois_channel_line", Action.LOG),
            Map.entry("irc_invalid_whois_message_format", Action.LOG),
            Map.entry("irc_invalid_whois_operator_line", Action.LOG),
            Map.entry("irc_invalid_whois_user_line", Action.LOG),
            Map.entry("irc_line_size_exceeded", Action.LOG),
            Map.entry("irc_line_too_short", Action.LOG),
            Map.entry("irc_too_many_invalid", Action.LOG),
            Map.entry("line_terminated_with_single_CR", Action.LOG),
            Map.entry("line_terminated_with_single_LF", Action.LOG),
            Map.entry("malformed_ssh_identification", Action.LOG),
            Map.entry("malformed_ssh_version", Action.LOG),
            Map.entry("multiple_HTTP_request_elements", Action.LOG),
            Map.entry("NUL_in_line", Action.LOG),
            Map.entry("originator_RPC_reply", Action.LOG_PER_ORIG),
            Map.entry("partial_finger_request", Action.LOG),
            Map.entry("partial_ftp_request", Action.LOG),
            Map.entry("partial_ident_request", Action.LOG),
            Map.entry("partial_RPC", Action.LOG_PER_ORIG),
            Map.entry("pending_data_when_closed", Action.LOG),
            Map.entry("pop3_bad_base64_encoding", Action.LOG),
            Map.entry("pop3_client_command_unknown", Action.LOG),
            Map.entry("pop3_client_sending_server_commands", Action.LOG),
            Map.entry("pop3_malformed_auth_plain", Action.LOG),
            Map.entry("pop3_server_command_unknown", Action.LOG),
            Map.entry("pop3_server_sending_client_commands", Action.LOG),
            Map.entry("possible_split_routing", Action.LOG),
            Map.entry("premature_connection_reuse", Action.LOG),
            Map.entry("repeated_SYN_reply_wo_ack", Action.LOG),
            Map.entry("repeated_SYN_with_ack", Action.LOG),
            Map.entry("responder_RPC_call", Action.LOG_PER_ORIG),
            Map.entry("rlogin_text_after_rejected", Action.LOG),
            Map.entry("RPC_pending_calls_discarded", Action.LOG),
            Map.entry("RPC_rexmit_inconsistency", Action.LOG),
            Map.entry("RPC_underflow", Action.LOG),
            Map.entry("RST_storm", Action.LOG),
            Map.entry("RST_with_data", Action.LOG),
            Map.entry("SSL_many_server_names", Action.LOG),
            Map.entry("simultaneous_open", Action.LOG_PER_CONN),
            Map.entry("smtp_mail_transaction_invalid", Action.LOG_PER_CONN),
            Map.entry("smtp_excessive_invalid_mail_transactions", Action.LOG_PER_CONN),
            Map.entry("spontaneous_FIN", Action.IGNORE),
            Map.entry("spontaneous_RST", Action.IGNORE),
            Map.entry("SMB_parsing_error", Action.LOG),
            Map.entry("SMB_discarded_messages_state", Action.LOG),
            Map.entry("SMB_discarded_dce_rpc_analyzers", Action.LOG),
            Map.entry("no_smb_session_using_parsesambamsg", Action.LOG),
            Map.entry("smb_andx_command_failed_to_parse", Action.LOG),
            Map.entry("smb_tree_connect_andx_response_without_tree", Action.LOG_PER_CONN),
            Map.entry("transaction_subcmd_missing", Action.LOG),
            Map.entry("successful_RPC_reply_to_invalid_request", Action.NOTICE_PER_ORIG),
            Map.entry("SYN_after_close", Action.LOG),
            Map.entry("SYN_after_partial", Action.NOTICE_PER_ORIG),
            Map.entry("SYN_after_reset", Action.LOG),
            Map.entry("SYN_inside_connection", Action.LOG),
            Map.entry("SYN_seq_jump", Action.LOG),
            Map.entry("SYN_with_data", Action.LOG_PER_ORIG),
            Map.entry("TCP_christmas", Action.LOG),
            Map.entry("TCP_scale_range", Action.LOG),
            Map.entry("truncated_ARP", Action.LOG),
            Map.entry("truncated_NTP", Action.LOG),
            Map.entry("UDP_datagram_length_mismatch", Action.LOG_PER_ORIG),
            Map.entry("unexpected_client_HTTP_data", Action.LOG),
            Map.entry("unexpected_multiple_HTTP_requests", Action.LOG),
            Map.entry("unexpected_server_HTTP_data", Action.LOG),
            Map.entry("unmatched_HTTP_reply", Action.LOG),
            Map.entry("unpaired_RPC_response", Action.LOG),
            Map.entry("window_recision", Action.LOG),
            Map.entry("double_%_in_URI", Action.LOG),
            Map.entry("illegal_%_at_end_of_URI", Action.LOG),
            Map.entry("unescaped_%_in_URI", Action.LOG),
            Map.entry("unescaped_special_URI_char", Action.LOG),
            Map.entry("deficit_netbios_hdr_len", Action.LOG),
            Map.entry("excess_netbios_hdr_len", Action.LOG),
            Map.entry("netbios_client_session_reply", Action.LOG),
            Map.entry("netbios_raw_session_msg", Action.LOG),
            Map.entry("netbios_server_session_request", Action.LOG),
            Map.entry("unknown_netbios_type", Action.LOG),
            Map.entry("excessively_large_fragment", Action.LOG),
            Map.entry("excessively_small_fragment", Action.LOG_PER_ORIG),
            Map.entry("fragment_inconsistency", Action.LOG_PER_ORIG),
            Map.entry("fragment_overlap", Action.LOG_PER_ORIG),
            Map.entry("fragment_protocol_inconsistency", Action.LOG),
            Map.entry("fragment_size_inconsistency", Action.LOG_PER_ORIG),
            Map.entry("fragment_with_DF", Action.LOG),
            Map.entry("incompletely_captured_fragment", Action.LOG),
            Map.entry("bad_IP_checksum", Action.LOG_PER_ORIG),
            Map.entry("bad_TCP_header_len", Action.LOG),
            Map.entry("internally_truncated_header", Action.LOG),
            Map.entry("truncated_IP", Action.LOG),
            Map.entry("truncated_header", Action.LOG),
            Map.entry("SSH_max_packet_length_exceeded", Action.LOG_PER_ORIG),
            Map.entry("SSH_max_string_length_exceeded", Action.LOG_PER_ORIG));

    /** {@code Weird::weird_do_not_ignore_repeats}: logged again even within the 10-minute suppression. */
    public static final Set<String> DO_NOT_IGNORE_REPEATS = Set.of("bad_IP_checksum", "bad_TCP_checksum",
            "bad_UDP_checksum", "bad_ICMP_checksum");

    private static final double IGNORE_EXPIRE = 600;   // weird_ignore &create_expire=10min
    private static final double DID_LOG_EXPIRE = 86400; // did_log / did_notice &create_expire=1day

    private final LogSink sink;
    private final long threshold;
    private final long rate;
    private final double duration;
    private final String peer;
    private final Map<String, Action> actions;

    private static final class Counter {
        long count;
        double samplingStart;
    }

    private static final class FlowState {
        final double created;
        final Map<String, Long> counts = new HashMap<>();

        FlowState(double created) {
            this.created = created;
        }
    }

    private final Map<String, Map<String, Counter>> connState = new HashMap<>();
    private final Map<String, FlowState> flowState = new HashMap<>();
    private final Map<String, FlowState> netState = new HashMap<>();
    private final Map<String, Double> weirdIgnore = new HashMap<>();
    private final Map<String, Double> didLog = new HashMap<>();
    private double now;
    private double lastSweep;
    private long written;

    /** A weird log with Zeek's default sampling, actions and peer name. */
    public WeirdLog(LogSink sink) {
        this(sink, 25, 1000, 600, "zeek", DEFAULT_ACTIONS);
    }

    /**
     * @param sink      receives weird.log records ({@link #SCHEMA})
     * @param threshold weirds of one name let through before sampling ({@code Weird::sampling_threshold})
     * @param rate      then one in this many passes; 0 lets none pass ({@code Weird::sampling_rate})
     * @param duration  seconds the sampling counters live ({@code Weird::sampling_duration})
     * @param peer      the {@code peer} column value ({@code peer_description})
     * @param actions   action per weird name ({@code Weird::actions}); missing names use {@code LOG}
     */
    public WeirdLog(LogSink sink, long threshold, long rate, double duration, String peer,
                    Map<String, Action> actions) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.threshold = threshold;
        this.rate = rate;
        this.duration = duration;
        this.peer = peer;
        this.actions = Map.copyOf(actions);
    }

    /** Records written so far. */
    public long written() {
        return written;
    }

    /** Entries of rate-limiting and suppression state currently held (for memory checks). */
    public int stateSize() {
        return connState.size() + flowState.size() + netState.size() + weirdIgnore.size() + didLog.size();
    }

    /** Forgets the per-connection sampling counters of a connection that ended. */
    public void connectionRemoved(String uid) {
        connState.remove(uid);
    }

    @Override
    public void weird(double ts, String name, String uid, ConnId id, String addl, String source) {
        if (name == null) {
            return;
        }
        if (ts > now) {
            now = ts;
        }
        sweep();
        if (!permit(name, uid, id)) {
            return;
        }
        Action action = actions.getOrDefault(name, Action.LOG);
        String identifier;
        if (uid != null && id != null) {
            identifier = idString(id);
        } else if (id != null) {
            identifier = str(id.origH()) + " -> " + str(id.respH());
        } else {
            identifier = "";
        }
        if (action == Action.IGNORE) {
            return;
        }
        String ignoreKey = name + '\0' + identifier;
        Double ig = weirdIgnore.get(ignoreKey);
        if (ig != null && now - ig < IGNORE_EXPIRE) {
            return;
        }
        boolean notice = action.notice();
        if (action.limiting()) {
            String limitId = identifier;
            if (id != null && (action == Action.LOG_PER_ORIG || action == Action.NOTICE_PER_ORIG)) {
                limitId = str(id.origH());
            } else if (action == Action.LOG_ONCE || action == Action.NOTICE_ONCE) {
                limitId = "";
            }
            String k = (notice ? "N" : "L") + name + '\0' + limitId;
            Double d = didLog.get(k);
            if (d != null && now - d < DID_LOG_EXPIRE) {
                return;
            }
            didLog.put(k, now);
        }
        if (!DO_NOT_IGNORE_REPEATS.contains(name)) {
            weirdIgnore.put(ignoreKey, now);
        }
        LogRecord r = new LogRecord(SCHEMA);
        r.set("ts", ts);
        r.set("uid", uid);
        if (id != null) {
            r.set("id.orig_h", id.origH());
            r.set("id.orig_p", id.origP());
            r.set("id.resp_h", id.respH());
            r.set("id.resp_p", id.respP());
        }
        r.set("name", name);
        r.set("addl", addl == null || addl.isEmpty() ? null : addl);
        r.set("notice", notice);
        r.set("peer", peer);
        r.set("source", source == null || source.isEmpty() ? null : source);
        sink.write(r);
        written++;
    }

    private boolean permit(String name, String uid, ConnId id) {
        if (uid != null) {
            Counter c = connState.computeIfAbsent(uid, k -> new HashMap<>()).computeIfAbsent(name, k -> new Counter());
            c.count++;
            if (c.count <= threshold) {
                return true;
            }
            if (c.count == threshold + 1) {
                c.samplingStart = now;
            } else if (now > c.samplingStart + duration) {
                c.samplingStart = 0;
                c.count = 1;
                return true;
            }
            return rate != 0 && (c.count - threshold) % rate == 0;
        }
        FlowState fs;
        if (id != null) {
            String k = str(id.origH()) + '\0' + str(id.respH());
            fs = flowState.get(k);
            if (fs == null || now > fs.created + duration) {
                fs = new FlowState(now);
                flowState.put(k, fs);
            }
        } else {
            fs = netState.get(name);
            if (fs == null || now > fs.created + duration) {
                fs = new FlowState(now);
                netState.put(name, fs);
            }
        }
        long count = fs.counts.merge(name, 1L, Long::sum);
        if (count <= threshold) {
            return true;
        }
        return rate != 0 && (count - threshold) % rate == 0;
    }

    private void sweep() {
        if (now - lastSweep < 60) {
            return;
        }
        lastSweep = now;
        weirdIgnore.values().removeIf(t -> now - t >= IGNORE_EXPIRE);
        didLog.values().removeIf(t -> now - t >= DID_LOG_EXPIRE);
        for (Iterator<FlowState> it = flowState.values().iterator(); it.hasNext(); ) {
            if (now > it.next().created + duration) {
                it.remove();
            }
        }
        for (Iterator<FlowState> it = netState.values().iterator(); it.hasNext(); ) {
            if (now > it.next().created + duration) {
                it.remove();
            }
        }
    }

    private static String idString(ConnId id) {
        return str(id.origH()) + ":" + id.origP() + " > " + str(id.respH()) + ":" + id.respP();
    }

    private static String str(InetAddress a) {
        return a == null ? "" : a.getHostAddress();
    }
}
