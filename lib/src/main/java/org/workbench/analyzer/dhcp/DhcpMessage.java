package org.workbench.analyzer.dhcp;

import java.net.InetAddress;
import java.util.List;

/**
 * One parsed BOOTP/DHCP message (RFC 2131): the fixed header and the options Zeek decodes (RFC 2132, RFC 3046,
 * RFC 4702), in the shape of Zeek's {@code DHCP::Msg} and {@code DHCP::Options} records.
 *
 * @param op       1 BOOTREQUEST, 2 BOOTREPLY
 * @param msgType  the value of option 53 (1 DISCOVER ... 18), 0 when the message has none
 * @param xid      the transaction id
 * @param secs     seconds elapsed since the client began
 * @param flags    the flags field (0x8000 = broadcast)
 * @param ciaddr   client address
 * @param yiaddr   "your" (assigned) address
 * @param siaddr   next server address
 * @param giaddr   relay agent address
 * @param chaddr   the 16-byte client hardware address as Zeek formats it: 6 bytes {@code aa:bb:...} unless bytes 6
 *                 and 7 are not zero, then 8 bytes
 * @param sname    server host name up to its last non-NUL byte, or null when empty
 * @param file     boot file name up to its last non-NUL byte, or null when empty
 * @param options  the options (never null)
 */
public record DhcpMessage(int op, int msgType, long xid, int secs, int flags, InetAddress ciaddr, InetAddress yiaddr,
                          InetAddress siaddr, InetAddress giaddr, String chaddr, String sname, String file,
                          Options options) {

    /** Zeek's names of the DHCP message types ({@code DHCP::message_types}); index = type. */
    private static final String[] TYPE_NAMES = {null, "DISCOVER", "OFFER", "REQUEST", "DECLINE", "ACK", "NAK",
        "RELEASE", "INFORM", "FORCERENEW", "LEASEQUERY", "LEASEUNASSIGNED", "LEASEUNKNOWN", "LEASEACTIVE",
        "BULKLEASEQUERY", "LEASEQUERYDONE", "ACTIVELEASEQUERY", "LEASEQUERYSTATUS", "TLS"};

    /** Zeek's name of a message type as dhcp.log's {@code msg_types} shows it. */
    public static String typeName(int type) {
        return type > 0 && type < TYPE_NAMES.length ? TYPE_NAMES[type] : "unknown-message-type-" + type;
    }

    /** This message's type name ({@link #typeName(int)}). */
    public String typeName() {
        return typeName(msgType);
    }

    /** Option 61 (client identifier): {@code hwaddr} is a MAC string for types other than 0, the raw bytes for 0. */
    public record ClientId(int hwtype, String hwaddr) {
    }

    /** Option 81 (client FQDN, RFC 4702); {@code domainName} is the raw bytes after the three fixed octets. */
    public record ClientFqdn(int flags, int rcode1, int rcode2, String domainName) {
    }

    /** One relay agent information sub-option (option 82, RFC 3046): 1 circuit id, 2 remote id, 6 subscriber id. */
    public record SubOption(int code, String value) {
    }

    /**
     * The options of a message as Zeek decodes them; a field is null when the option was absent. Strings are byte
     * strings (one char per byte). When an option occurs twice, the later one wins.
     */
    public static final class Options {
        /** Every option code in order of appearance, pads included, End excluded. */
        public final List<Integer> codes = new java.util.ArrayList<>();
        public InetAddress subnetMask;          // 1
        public Integer timeOffset;              // 2
        public List<InetAddress> routers;       // 3
        public List<InetAddress> timeServers;   // 4
        public List<InetAddress> nameServers;   // 5
        public List<InetAddress> dnsServers;    // 6
        public String hostName;                 // 12
        public String domainName;               // 15
        public Boolean forwarding;              // 19
        public InetAddress broadcast;           // 28
        public List<InetAddress> ntpServers;    // 42
        public String vendor;                   // 43
        public List<InetAddress> nbns;          // 44
        public InetAddress addrRequest;         // 50
        public Double lease;                    // 51
        public InetAddress servAddr;            // 54
        public List<Integer> paramList;         // 55
        public String message;                  // 56
        public Integer maxMsgSize;              // 57
        public Double renewalTime;              // 58
        public Double rebindingTime;            // 59
        public String vendorClass;              // 60
        public ClientId clientId;               // 61
        public String userClass;                // 77
        public ClientFqdn clientFqdn;           // 81
        public List<SubOption> subOpt;          // 82
        public Boolean autoConfig;              // 116
        public String autoProxyConfig;          // 252

        @Override
        public String toString() {
            return "Options" + codes;
        }
    }
}
