package org.workbench.analyzer.dhcp;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.workbench.analysis.WeirdReporter;
import org.workbench.flow.ConnId;
import org.workbench.zeeklog.LogRecord;
import org.workbench.zeeklog.LogSchema;
import org.workbench.zeeklog.LogSink;

/**
 * Joins the DHCP messages of all connections by transaction id into dhcp.log rows, as Zeek's
 * {@code base/protocols/dhcp} script does with its {@code join_data} table.
 *
 * <p>A row starts with the first message of a transaction id and is written when
 * <ul>
 *   <li>it has collected {@code max_uids_per_log_entry} uids or {@code max_msg_types_per_log_entry} messages;</li>
 *   <li>it expires: Zeek checks an entry 10 s after it was created ({@code &create_expire=10secs}) and every 5 s
 *       after that, and writes it when no message came in the last 5 s or it is older than
 *       {@code max_txid_watch_time}. Zeek's table expiry runs every 10 s of network time; here the checks run
 *       on a 10 s grid that starts with the first DHCP message and advances with each DHCP message;</li>
 *   <li>{@code max_tracked_transactions} ids are tracked and a new one arrives: the oldest is written early and the
 *       weird {@code DHCP_max_tracked_transactions_exceeded} (addl: the number tracked, source {@code DHCP}) is
 *       raised;</li>
 *   <li>the analysis ends ({@link #finish}).</li>
 * </ul>
 * Memory is bounded by {@code max_tracked_transactions}. Not thread-safe: one instance per analysis run.
 */
final class DhcpTransactions {
    private static final double CREATE_EXPIRE = 10;
    private static final double RECHECK = 5;
    private static final double IDLE = 5;
    private static final double TABLE_EXPIRE_INTERVAL = 10;

    private static final InetAddress ANY = DhcpParser.addr(new byte[4], 0);
    private static final InetAddress BROADCAST = DhcpParser.addr(new byte[] {-1, -1, -1, -1}, 0);

    private final LogSink logs;
    private final WeirdReporter weirds;
    private final DhcpAnalyzerOptions options;
    private final LogSchema schema;
    /** Insertion order is Zeek's {@code join_data_ordered}. */
    private final LinkedHashMap<Long, Entry> table = new LinkedHashMap<>();
    private double nextCheck = Double.NaN;

    /** One row in the making (Zeek's {@code DHCP::Info}). */
    private static final class Entry {
        final double ts;
        final LinkedHashSet<String> uids = new LinkedHashSet<>();
        InetAddress clientAddr, serverAddr, requestedAddr, assignedAddr;
        String mac, hostName, clientFqdn, domain, clientMessage, serverMessage, clientChaddr;
        Double leaseTime;
        final List<String> msgTypes = new ArrayList<>();
        double duration;
        double lastMessageTs;
        double expireAt;
        final List<InetAddress> msgOrig = new ArrayList<>();
        String clientSoftware, serverSoftware, circuitId, agentRemoteId, subscriberId;

        Entry(double ts) {
            this.ts = ts;
            this.expireAt = ts + CREATE_EXPIRE;
        }
    }

    DhcpTransactions(LogSink logs, WeirdReporter weirds, DhcpAnalyzerOptions options) {
        this.logs = logs;
        this.weirds = weirds;
        this.options = options;
        this.schema = DhcpLog.schema(options);
    }

    LogSchema schema() {
        return schema;
    }

    /** Transaction ids tracked now. */
    int tracked() {
        return table.size();
    }

    /** One message ({@code DHCP::aggregate_msgs}) seen at {@code ts} on the connection {@code id}/{@code uid}. */
    void message(double ts, ConnId id, String uid, boolean isOrig, DhcpMessage msg) {
        expire(ts);
        Entry e = table.get(msg.xid());
        if (e == null) {
            int max = options.maxTrackedTransactions();
            if (max > 0 && table.size() >= max) {
                weirds.weird(ts, "DHCP_max_tracked_transactions_exceeded", null, null,
                        Integer.toString(table.size()), "DHCP");
                Iterator<Entry> oldest = table.values().iterator();
                write(oldest.next());
                oldest.remove();
            }
            e = new Entry(ts);
            e.uids.add(uid);
            table.put(msg.xid(), e);
        }
        DhcpMessage.Options o = msg.options();
        e.duration = ts - e.ts;
        e.uids.add(uid);
        e.msgTypes.add(msg.typeName());
        boolean isClient = isOrig && (ANY.equals(id.origH()) || id.origP() == 68 || id.respP() == 67);
        if (o.message != null) {
            if (isClient) {
                e.clientMessage = o.message;
            } else {
                e.serverMessage = o.message;
            }
        }
        e.lastMessageTs = ts;
        if (isClient) {
            if (!ANY.equals(id.origH()) && !BROADCAST.equals(id.origH())) {
                e.clientAddr = id.origH();
            }
            if (o.hostName != null) {
                e.hostName = o.hostName;
            }
            if (o.clientFqdn != null) {
                e.clientFqdn = o.clientFqdn.domainName();
            }
            if (o.clientId != null && o.clientId.hwtype() == 1) {
                e.mac = o.clientId.hwaddr();
            } else {
                e.clientChaddr = msg.chaddr();
            }
            if (o.addrRequest != null) {
                e.requestedAddr = o.addrRequest;
            }
        } else {
            boolean assigned = !ANY.equals(msg.yiaddr());
            if (assigned) {
                e.serverAddr = isOrig ? id.origH() : id.respH();
            }
            if (!msg.chaddr().isEmpty() && e.mac == null) {
                e.mac = msg.chaddr();
            }
            if (assigned) {
                e.assignedAddr = msg.yiaddr();
            }
            if (e.clientAddr == null && e.assignedAddr != null) {
                e.clientAddr = e.assignedAddr;
            }
            if (o.domainName != null) {
                e.domain = o.domainName;
            }
            if (o.lease != null) {
                e.leaseTime = o.lease;
            }
        }
        // A full row is written at the end of the base handler, before the policy handlers (which Zeek runs after
        // it: software at the same priority but loaded later, msg-orig and sub-opts at lower priorities) see this
        // message.
        if (e.uids.size() >= options.maxUidsPerLogEntry() || e.msgTypes.size() >= options.maxMsgTypesPerLogEntry()) {
            write(e);
            table.remove(msg.xid());
            return;
        }
        if (options.logSoftware()) {
            software(e, isOrig, o);
        }
        if (options.logMsgOrig()) {
            e.msgOrig.add(isOrig ? id.origH() : id.respH());
        }
        if (options.logSubOpts() && o.subOpt != null) {
            for (DhcpMessage.SubOption s : o.subOpt) {
                switch (s.code()) {
                    case 1 -> e.circuitId = s.value();
                    case 2 -> e.agentRemoteId = s.value();
                    case 6 -> e.subscriberId = s.value();
                    default -> { }
                }
            }
        }
    }

    private static void software(Entry e, boolean isOrig, DhcpMessage.Options o) {
        if (o.vendorClass != null) {
            if (isOrig) {
                e.clientSoftware = o.vendorClass;
            } else {
                e.serverSoftware = o.vendorClass;
            }
        }
    }

    /** Runs the expiry checks due by {@code now}. */
    void expire(double now) {
        if (Double.isNaN(nextCheck)) {
            nextCheck = now + TABLE_EXPIRE_INTERVAL;
            return;
        }
        while (nextCheck <= now) {
            double t = nextCheck;
            for (Iterator<Map.Entry<Long, Entry>> it = table.entrySet().iterator(); it.hasNext(); ) {
                Entry e = it.next().getValue();
                if (e.expireAt > t) {
                    continue;
                }
                if (t - e.lastMessageTs > IDLE || t - e.ts > options.maxTxidWatchTime()) {
                    write(e);
                    it.remove();
                } else {
                    e.expireAt = t + RECHECK;
                }
            }
            nextCheck = table.isEmpty() ? now + TABLE_EXPIRE_INTERVAL : t + TABLE_EXPIRE_INTERVAL;
            if (table.isEmpty()) {
                break;
            }
        }
    }

    /** Writes every row still open (Zeek does so when it terminates). */
    void finish() {
        for (Entry e : table.values()) {
            write(e);
        }
        table.clear();
    }

    private void write(Entry e) {
        if (e.mac == null && e.clientChaddr != null) {
            e.mac = e.clientChaddr;
        }
        LogRecord r = new LogRecord(schema)
                .set("ts", e.ts)
                .set("uids", List.copyOf(e.uids))
                .set("client_addr", e.clientAddr)
                .set("server_addr", e.serverAddr)
                .set("mac", e.mac)
                .set("host_name", e.hostName)
                .set("client_fqdn", e.clientFqdn)
                .set("domain", e.domain)
                .set("requested_addr", e.requestedAddr)
                .set("assigned_addr", e.assignedAddr)
                .set("lease_time", e.leaseTime)
                .set("client_message", e.clientMessage)
                .set("server_message", e.serverMessage)
                .set("msg_types", List.copyOf(e.msgTypes))
                .set("duration", e.duration);
        if (options.logMsgOrig()) {
            r.set("msg_orig", List.copyOf(e.msgOrig));
        }
        if (options.logSoftware()) {
            r.set("client_software", e.clientSoftware).set("server_software", e.serverSoftware);
        }
        if (options.logSubOpts()) {
            r.set("circuit_id", e.circuitId).set("agent_remote_id", e.agentRemoteId)
                    .set("subscriber_id", e.subscriberId);
        }
        logs.write(r);
    }
}
