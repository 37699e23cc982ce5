package org.workbench.flow;

/** Transport protocols as Zeek's {@code transport_proto} enum names them in logs. */
public enum TransportProto {
    TCP("tcp"), UDP("udp"), ICMP("icmp"), UNKNOWN("unknown_transport");

    private final String zeekName;

    TransportProto(String zeekName) {
        this.zeekName = zeekName;
    }

    /** The name written in the {@code proto} field of conn.log and dns.log. */
    public String zeekName() {
        return zeekName;
    }
}
