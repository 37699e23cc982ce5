package org.workbench.flow;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** The state the tracker keeps for one connection (Zeek's {@code Connection} plus its session adapter). */
final class Connection {
    final ConnectionTracker tracker;
    final FlowKey key;
    final String uid;
    final TransportProto proto;
    final int ipProto;
    ConnId id;
    byte[] origAddr, respAddr; // 4 or 16 bytes
    final double startTime;
    double lastTime;
    final StringBuilder history = new StringBuilder();
    int histSeen;
    long origPkts, origIpBytes, respPkts, respIpBytes;
    long missedBytes;
    final LinkedHashSet<String> services = new LinkedHashSet<>();
    boolean didWeird;
    /** Uids of the tunnels this connection's packets came through (conn.log {@code tunnel_parents}), or null. */
    LinkedHashSet<String> tunnelParents;
    /** Whether each side sent a valid message of the tunnel protocol this connection carries (Teredo's delayed
     *  confirmation), and whether Tunnel::max_depth stopped decapsulation ({@code X} in the history). */
    boolean tunnelOrigSeen, tunnelRespSeen, tunnelDepthExceeded;
    boolean removed;

    double inactivityTimeout;
    int inactivityEpoch;
    int analyzerEpoch;

    /** TCP only. */
    TcpState tcp;
    /** UDP/ICMP payload byte counts; -1 while the side sent nothing (Zeek's request_len/reply_len). */
    long requestLen = -1, replyLen = -1;
    int reqChkCnt, repChkCnt, reqChkThresh = 1, repChkThresh = 1;

    final List<AnalyzerSlot> analyzers = new ArrayList<>(2);
    Dpd dpd;

    Connection(ConnectionTracker tracker, FlowKey key, String uid, TransportProto proto, int ipProto, ConnId id,
               byte[] origAddr, byte[] respAddr, double ts) {
        this.tracker = tracker;
        this.key = key;
        this.uid = uid;
        this.proto = proto;
        this.ipProto = ipProto;
        this.id = id;
        this.origAddr = origAddr;
        this.respAddr = respAddr;
        this.startTime = ts;
        this.lastTime = ts;
    }

    /** Zeek's {@code Session::CheckHistory}: adds {@code code} the first time {@code mask} is seen. */
    boolean checkHistory(int mask, char code) {
        if ((histSeen & mask) == 0) {
            histSeen |= mask;
            history.append(code);
            return false;
        }
        return true;
    }

    /** Zeek's {@code ScaledHistoryEntry}: letter at the 1st, 10th, 100th ... occurrence. Returns new state. */
    static int[] scaled(StringBuilder history, char code, int counter, int threshold) {
        counter++;
        if (counter == threshold) {
            history.append(code);
            long next = (long) threshold * 10;
            if (next > Integer.MAX_VALUE) {
                counter = 0;
            } else {
                threshold = (int) next;
            }
        }
        return new int[] {counter, threshold};
    }

    /** TCP-specific per-connection flags of Zeek's {@code TCPSessionAdapter}. */
    static final class TcpState {
        TcpEndpoint orig, resp;
        boolean isActive = true;
        boolean isPartial;
        int firstPacketSeen; // 1 = orig, 2 = resp
        boolean seenFirstAck;
        boolean closeDeferred, deferredGenEvent;
    }

    /** Dynamic protocol detection state: the first bytes of each direction, kept for replay. */
    static final class Dpd {
        final List<Object[]> chunks = new ArrayList<>(); // {Boolean isOrig, Double ts, byte[] data or Long gap}
        final byte[][] prefix = new byte[2][]; // index 0 = orig, 1 = resp
        final int[] prefixLen = new int[2];
        final boolean[] done = new boolean[2];
        final List<AnalyzerFactory> rejected = new ArrayList<>();
    }
}
