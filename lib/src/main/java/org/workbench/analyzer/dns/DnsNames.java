package org.workbench.analyzer.dns;

import java.util.HashMap;
import java.util.Map;

/**
 * Names Zeek gives DNS numbers in dns.log (Zeek's {@code base/protocols/dns/consts.zeek} tables; the numbers are
 * the IANA "Domain Name System (DNS) Parameters" registry values). Unknown numbers get Zeek's fallback forms
 * ({@code query-<n>}, {@code qclass-<n>}, {@code rcode-<n>}, {@code opcode-<n>}, {@code netbios-opcode-<n>}).
 */
public final class DnsNames {
    private DnsNames() {
    }

    private static final Map<Integer, String> TYPES = new HashMap<>();
    private static final Map<Integer, String> RCODES = new HashMap<>();

    static {
        String[] low = {null, "A", "NS", "MD", "MF", "CNAME", "SOA", "MB", "MG", "MR", "NULL", "WKS", "PTR", "HINFO",
                "MINFO", "MX", "TXT", "RP", "AFSDB", "X25", "ISDN", "RT", "NSAP", "NSAP-PTR", "SIG", "KEY", "PX",
                "GPOS", "AAAA", "LOC", "NXT", "EID", "NIMLOC", "SRV", "ATMA", "NAPTR", "KX", "CERT", "A6", "DNAME",
                "SINK", "OPT", "APL", "DS", "SSHFP", "IPSECKEY", "RRSIG", "NSEC", "DNSKEY", "DHCID", "NSEC3",
                "NSEC3PARAM", "TLSA", "SMIMEA", null, "HIP", "NINFO", "RKEY", "TALINK", "CDS", "CDNSKEY",
                "OPENPGPKEY", "CSYNC", "ZONEMD", "SVCB", "HTTPS"};
        for (int i = 0; i < low.length; i++) {
            if (low[i] != null) {
                TYPES.put(i, low[i]);
            }
        }
        String[] mid = {"SPF", "UINFO", "UID", "GID", "UNSPEC", "NID", "L32", "L64", "LP", "EUI48", "EUI64"};
        for (int i = 0; i < mid.length; i++) {
            TYPES.put(99 + i, mid[i]);
        }
        String[] high = {"TKEY", "TSIG", "IXFR", "AXFR", "MAILB", "MAILA", "*", "URI", "CAA"};
        for (int i = 0; i < high.length; i++) {
            TYPES.put(249 + i, high[i]);
        }
        TYPES.put(32768, "TA");
        TYPES.put(32769, "DLV");
        TYPES.put(65281, "WINS");
        TYPES.put(65282, "WINS-R");
        TYPES.put(65422, "XPF");
        TYPES.put(65521, "INTEGRITY");

        String[] rc = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET",
                "NXRRSet", "NOTAUTH", "NOTZONE", "unassigned-11", "unassigned-12", "unassigned-13", "unassigned-14",
                "unassigned-15", "BADVERS", "BADKEY", "BADTIME", "BADMODE", "BADNAME", "BADALG", "BADTRUNC",
                "BADCOOKIE"};
        for (int i = 0; i < rc.length; i++) {
            RCODES.put(i, rc[i]);
        }
        RCODES.put(3842, "BADSIG");
    }

    /** The name of a QTYPE/TYPE value, e.g. {@code A}, {@code *} for 255, {@code query-<n>} when unknown. */
    public static String typeName(int type) {
        String s = TYPES.get(type);
        return s != null ? s : "query-" + type;
    }

    /** The name of a QCLASS/CLASS value, e.g. {@code C_INTERNET}, {@code qclass-<n>} when unknown. */
    public static String className(int qclass) {
        switch (qclass) {
            case 1: return "C_INTERNET";
            case 2: return "C_CSNET";
            case 3: return "C_CHAOS";
            case 4: return "C_HESIOD";
            case 254: return "C_NONE";
            case 255: return "C_ANY";
            default: return "qclass-" + qclass;
        }
    }

    /** The name of an RCODE value, e.g. {@code NXDOMAIN}, {@code rcode-<n>} when unknown. */
    public static String rcodeName(int rcode) {
        String s = RCODES.get(rcode);
        return s != null ? s : "rcode-" + rcode;
    }

    /**
     * The name of an OPCODE value: DNS names ({@code query}, {@code notify}, {@code dynamic-update}, ...) or,
     * for NetBIOS name service messages, RFC 1002 names ({@code netbios-query}, {@code netbios-registration}...).
     */
    public static String opcodeName(int opcode, boolean netbios) {
        if (netbios) {
            switch (opcode) {
                case 0: return "netbios-query";
                case 5: return "netbios-registration";
                case 6: return "netbios-release";
                case 7: return "netbios-wack";
                case 8: return "netbios-refresh";
                default: return "netbios-opcode-" + opcode;
            }
        }
        switch (opcode) {
            case 0: return "query";
            case 1: return "iquery";
            case 2: return "server-status";
            case 4: return "notify";
            case 5: return "dynamic-update";
            case 6: return "dso";
            default: return "opcode-" + opcode;
        }
    }
}
