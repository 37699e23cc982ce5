package org.workbench.flow;

import java.net.InetAddress;

/**
 * A connection's endpoints as Zeek's {@code conn_id} record logs them ({@code id.orig_h},
 * {@code id.orig_p}, {@code id.resp_h}, {@code id.resp_p}): the originator is the side that sent the
 * first packet (or the SYN), the responder the other.
 */
public record ConnId(InetAddress origH, int origP, InetAddress respH, int respP, TransportProto proto) {
}
