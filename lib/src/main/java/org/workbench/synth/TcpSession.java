package org.workbench.synth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A synthetic TCP conversation between a client and a server, written as Ethernet frames to a {@link Timeline}:
 * three-way handshake, data in segments of a fixed size with correct sequence and acknowledgment numbers
 * (RFC 9293), optional faults in the data segments, and FIN or RST teardown.
 *
 * <p>Faults address the data segments of one {@link #send} call by their 0-based index:
 * {@link Faults#drop} leaves a segment out of the capture (the receiver still acknowledges it, as if the
 * capture missed it, so analysis sees a content gap); {@link Faults#retransmit} writes a segment twice;
 * {@link Faults#swapWithNext} writes a segment after the one following it.
 */
public final class TcpSession {
    /** Faults to inject in the segments of one {@link #send} call. */
    public static final class Faults {
        final Set<Integer> drop = new HashSet<>();
        final Set<Integer> retransmit = new HashSet<>();
        final Set<Integer> swap = new HashSet<>();

        /** No faults. */
        public static Faults none() {
            return new Faults();
        }

        /** Leaves segment {@code i} out of the capture. */
        public Faults drop(int i) {
            drop.add(i);
            return this;
        }

        /** Writes segment {@code i} twice. */
        public Faults retransmit(int i) {
            retransmit.add(i);
            return this;
        }

        /** Writes segment {@code i} after segment {@code i + 1}. */
        public Faults swapWithNext(int i) {
            swap.add(i);
            return this;
        }
    }

    private final Timeline out;
    private final Host client, server;
    private final int clientPort, serverPort;
    private final int segmentSize;
    private long clientSeq, serverSeq;
    private int ipId;
    private int window = 65535;

    /**
     * @param out         where frames go
     * @param client      the originator
     * @param clientPort  its port
     * @param server      the responder
     * @param serverPort  its port
     * @param segmentSize largest data bytes per segment (e.g. 1460)
     * @param clientIsn   client initial sequence number
     * @param serverIsn   server initial sequence number
     */
    public TcpSession(Timeline out, Host client, int clientPort, Host server, int serverPort, int segmentSize,
                      long clientIsn, long serverIsn) {
        if (segmentSize <= 0) {
            throw new IllegalArgumentException("segmentSize must be positive");
        }
        this.out = out;
        this.client = client;
        this.server = server;
        this.clientPort = clientPort;
        this.serverPort = serverPort;
        this.segmentSize = segmentSize;
        this.clientSeq = clientIsn & 0xffffffffL;
        this.serverSeq = serverIsn & 0xffffffffL;
        this.ipId = (int) (clientIsn & 0x7fff);
    }

    /** Client SYN, server SYN-ACK, client ACK. */
    public TcpSession handshake() {
        segment(true, 0x02, new byte[0], clientSeq, 0);
        clientSeq = next(clientSeq, 1);
        segment(false, 0x12, new byte[0], serverSeq, clientSeq);
        serverSeq = next(serverSeq, 1);
        segment(true, 0x10, new byte[0], clientSeq, serverSeq);
        return this;
    }

    /** Sends data with no faults; see {@link #send(boolean, byte[], Faults)}. */
    public TcpSession send(boolean fromClient, byte[] data) {
        return send(fromClient, data, Faults.none());
    }

    /**
     * Sends {@code data} from one side in segments (PSH on the last), then one ACK from the other side covering
     * all of it.
     *
     * @param fromClient true for client-to-server data
     * @param data       the bytes
     * @param faults     faults to inject in these segments
     * @return this
     */
    public TcpSession send(boolean fromClient, byte[] data, Faults faults) {
        List<byte[]> segs = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();
        long seq = fromClient ? clientSeq : serverSeq;
        for (int off = 0; off < data.length; off += segmentSize) {
            int end = Math.min(data.length, off + segmentSize);
            segs.add(Arrays.copyOfRange(data, off, end));
            seqs.add(next(seq, off));
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < segs.size(); i++) {
            order.add(i);
        }
        for (int i = 0; i + 1 < order.size(); i++) {
            if (faults.swap.contains(order.get(i))) {
                Collections.swap(order, i, i + 1);
                i++;
            }
        }
        long peerSeq = fromClient ? serverSeq : clientSeq;
        for (int i : order) {
            if (faults.drop.contains(i)) {
                continue;
            }
            int flags = 0x10 | (i == segs.size() - 1 ? 0x08 : 0);
            int times = faults.retransmit.contains(i) ? 2 : 1;
            for (int t = 0; t < times; t++) {
                segment(fromClient, flags, segs.get(i), seqs.get(i), peerSeq);
            }
        }
        long end = next(seq, data.length);
        if (fromClient) {
            clientSeq = end;
        } else {
            serverSeq = end;
        }
        segment(!fromClient, 0x10, new byte[0], peerSeq, end);
        return this;
    }

    /** Orderly close: FIN-ACK from {@code clientFirst ? client : server}, FIN-ACK back, last ACK. */
    public TcpSession close(boolean clientFirst) {
        boolean a = clientFirst;
        segment(a, 0x11, new byte[0], seqOf(a), seqOf(!a));
        bump(a);
        segment(!a, 0x11, new byte[0], seqOf(!a), seqOf(a));
        bump(!a);
        segment(a, 0x10, new byte[0], seqOf(a), seqOf(!a));
        return this;
    }

    /** Abortive close: one RST from the given side. */
    public TcpSession reset(boolean fromClient) {
        segment(fromClient, 0x14, new byte[0], seqOf(fromClient), seqOf(!fromClient));
        return this;
    }

    /** Next sequence number the client will send (unsigned 32-bit). */
    public long clientSeq() {
        return clientSeq;
    }

    /** Next sequence number the server will send (unsigned 32-bit). */
    public long serverSeq() {
        return serverSeq;
    }

    private long seqOf(boolean client) {
        return client ? clientSeq : serverSeq;
    }

    private void bump(boolean client) {
        if (client) {
            clientSeq = next(clientSeq, 1);
        } else {
            serverSeq = next(serverSeq, 1);
        }
    }

    private static long next(long seq, long n) {
        return (seq + n) & 0xffffffffL;
    }

    private void segment(boolean fromClient, int flags, byte[] payload, long seq, long ack) {
        Host s = fromClient ? client : server;
        Host d = fromClient ? server : client;
        int sp = fromClient ? clientPort : serverPort;
        int dp = fromClient ? serverPort : clientPort;
        byte[] tcp = PacketFrames.tcp(s.address(), d.address(), sp, dp, seq, (flags & 0x10) != 0 ? ack : 0, flags, window,
                payload);
        ipId = (ipId + 1) & 0xffff;
        out.add(PacketFrames.ethernet(s, d, PacketFrames.ip(s, d, PacketFrames.PROTO_TCP, ipId, tcp)));
    }
}
