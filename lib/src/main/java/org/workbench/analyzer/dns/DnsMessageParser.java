package org.workbench.analyzer.dns;

import java.nio.charset.StandardCharsets;

/**
 * Parses DNS messages (RFC 1035 section 4, with the record types of later RFCs) of one connection and reports
 * them as {@link DnsEvents}. It follows the observable behaviour of Zeek 9's DNS analyzer: which records are
 * parsed, how far parsing continues after a problem, how many bytes each record type consumes, and which weird
 * is raised (names and {@code addl} texts are Zeek's). Nothing here throws on malformed input.
 *
 * <p>Reading past the end of the message yields zero without consuming, as Zeek's extractors do; parsers that
 * do not consume their whole RDATA leave the cursor where they stopped, which is what makes later records of a
 * damaged message fail the same way they fail in Zeek.
 */
final class DnsMessageParser {

    /** The connection-side services the parser needs. */
    interface Host {
        void weird(String name, String addl);

        void violation(String reason);

        void confirm();

        /** Responder port after any role flip. */
        int respPort();

        boolean isUdp();

        boolean respIsMulticast();

        /** Swap originator and responder (Zeek {@code FlipRoles}). */
        void flipRoles();
    }

    static final int NETBIOS_PORT = 137;

    // RR types the parser treats specially (IANA registry numbers).
    private static final int A = 1, NS = 2, CNAME = 5, SOA = 6, WKS = 11, PTR = 12, HINFO = 13, MX = 15, TXT = 16,
            AAAA = 28, LOC = 29, NBS = 32, SRV = 33, NAPTR = 35, A6 = 38, OPT = 41, DS = 43, SSHFP = 44, RRSIG = 46,
            NSEC = 47, DNSKEY = 48, NSEC3 = 50, NSEC3PARAM = 51, SVCB = 64, HTTPS = 65, SPF = 99, TKEY = 249,
            TSIG = 250, CAA = 257, BINDS = 65534;
    private static final int CLASS_NONE = 254, CLASS_ANY = 255;
    private static final int OP_QUERY = 0, OP_NOTIFY = 4, OP_UPDATE = 5;
    private static final int NAME_CAPACITY = 512;

    private final Host host;
    private final DnsEvents events;
    private final DnsOptions options;
    private final boolean netbios;
    private boolean firstMessage = true;

    // Per-message state.
    private Cursor c;
    private DnsHeader hdr;
    private DnsAnswer.Section section;
    private boolean skipEvent;
    private String rrName;
    private int rrType;
    private int rrClass;
    private long rrTtl;
    private int zoneClass;
    private boolean dynamicUpdate;

    DnsMessageParser(Host host, DnsEvents events, DnsOptions options, boolean netbios) {
        this.host = host;
        this.events = events;
        this.options = options;
        this.netbios = netbios;
    }

    /**
     * Parses one message.
     *
     * @param isQuery 1 when sent by the originator, 0 by the responder, 2 unknown (a flushed partial TCP message)
     */
    void parse(byte[] data, int off, int len, int isQuery) {
        if (len < DnsHeader.LENGTH) {
            host.weird("DNS_truncated_len_lt_hdr_len", null);
            return;
        }
        int opcode = (data[off + 2] >> 3) & 0xf;
        if (opcode != OP_QUERY && opcode != OP_UPDATE && opcode != OP_NOTIFY && !netbios) {
            host.weird("DNS_unknown_opcode", Integer.toString(opcode));
            return;
        }
        hdr = DnsHeader.decode(data, off, netbios);
        dynamicUpdate = hdr.opcode() == OP_UPDATE && !netbios;
        if (firstMessage && hdr.qr() && isQuery == 1 && !host.respIsMulticast()) {
            // A response from the originator: Zeek decides the roles were guessed wrong.
            host.flipRoles();
        }
        firstMessage = false;
        events.message(hdr);

        if (options.maxQueries() > 0 && hdr.qdCount() > options.maxQueries()) {
            host.violation("DNS_Conn_count_too_large");
            host.weird("DNS_Conn_count_too_large", hdr.qdCount() + " > " + options.maxQueries());
            events.end(hdr);
            return;
        }
        c = new Cursor(data, off, off + DnsHeader.LENGTH, off + len);
        section = DnsAnswer.Section.QUESTION;
        skipEvent = false;

        if (dynamicUpdate) {
            if (hdr.qdCount() != 1) {
                host.weird("DNS_DU_invalid_zone_count", Integer.toString(hdr.qdCount()));
                events.end(hdr);
                return;
            }
            if (!parseRecordHeader()) {
                events.end(hdr);
                return;
            }
            if (rrType != SOA) {
                // Zeek stops here without ending the message.
                host.weird("DNS_DU_incorrect_zone_type", null);
                return;
            }
            zoneClass = rrClass;
            if (!parseRecords(hdr.anCount(), DnsAnswer.Section.PREREQUISITE)
                    || !parseRecords(hdr.nsCount(), DnsAnswer.Section.UPDATE)) {
                events.end(hdr);
                return;
            }
        } else {
            if (!parseQuestions() || !parseRecords(hdr.anCount(), DnsAnswer.Section.ANSWER)) {
                events.end(hdr);
                return;
            }
        }
        host.confirm();

        boolean skipAuth = options.skipAllAuth();
        boolean skipAddl = options.skipAllAddl();
        if (hdr.anCount() > 0) {
            skipAuth = skipAuth || hdr.nsCount() == 0;
            skipAddl = skipAddl || hdr.arCount() == 0;
        }
        if (skipAuth && skipAddl) {
            events.end(hdr);
            return;
        }
        if (!dynamicUpdate) {
            skipEvent = skipAuth;
            if (!parseRecords(hdr.nsCount(), DnsAnswer.Section.AUTHORITY)) {
                events.end(hdr);
                return;
            }
        }
        if (skipAddl) {
            events.end(hdr);
            return;
        }
        skipEvent = false;
        parseRecords(hdr.arCount(), DnsAnswer.Section.ADDITIONAL);
        events.end(hdr);
    }

    // ---- sections ------------------------------------------------------------------------------------------

    private boolean parseQuestions() {
        for (int n = hdr.qdCount(); n > 0; n--) {
            if (!parseQuestion()) {
                return false;
            }
        }
        return true;
    }

    private boolean parseQuestion() {
        NameBuf name = new NameBuf();
        if (!extractName(c, name, false, 0)) {
            return false;
        }
        if (c.remaining() < 4) {
            host.weird("DNS_truncated_quest_too_short", null);
            return false;
        }
        String original = name.text();
        String query = lower(original);
        int qtype = c.u16();
        int qclass = c.u16();
        if (!hdr.qr()) {
            events.request(hdr, query, original, qtype, qclass);
        } else if (hdr.anCount() == 0 && hdr.nsCount() == 0 && hdr.arCount() == 0) {
            events.rejected(hdr, query, qtype, qclass);
        }
        return true;
    }

    private boolean parseRecords(int n, DnsAnswer.Section s) {
        section = s;
        for (; n > 0; n--) {
            if (!parseRecord()) {
                return false;
            }
        }
        return true;
    }

    private boolean parseRecordHeader() {
        NameBuf name = new NameBuf();
        if (!extractName(c, name, true, 0)) {
            return false;
        }
        if (c.remaining() < 4) {
            host.weird("DNS_truncated_ans_too_short", null);
            return false;
        }
        rrName = name.text();
        rrType = c.u16();
        rrClass = c.u16();
        return true;
    }

    private DnsAnswer answer() {
        return new DnsAnswer(section, rrName, rrType, rrClass, rrTtl);
    }

    private void reply(String text) {
        if (!skipEvent) {
            events.reply(hdr, answer(), text);
        }
    }

    private boolean parseRecord() {
        if (!parseRecordHeader()) {
            return false;
        }
        rrTtl = c.u32();
        int rdlength = c.u16();
        if (rdlength > c.remaining()) {
            host.weird("DNS_truncated_RR_rdlength_lt_len", null);
            return false;
        }
        if (dynamicUpdate) {
            if (section == DnsAnswer.Section.UPDATE) {
                if (rrClass == CLASS_ANY && rrTtl == 0 && rdlength == 0) {
                    if (!skipEvent) {
                        events.dynamicUpdateDelete(hdr, answer());
                    }
                    return true;
                } else if (!((rrClass == CLASS_NONE && rrTtl == 0) || rrClass == zoneClass)) {
                    host.weird("DNS_dynamic_update_invalid_update", null);
                    return true;
                }
            } else if (section == DnsAnswer.Section.PREREQUISITE) {
                // Prerequisite RDATA is not consumed, as in Zeek.
                if (rrTtl != 0) {
                    host.weird("DNS_dynamic_update_prereq_nonzero_ttl", Long.toString((int) rrTtl));
                } else if (((rrClass == CLASS_ANY || rrClass == CLASS_NONE) && rdlength == 0)
                        || rrClass == zoneClass) {
                    if (!skipEvent) {
                        events.dynamicUpdatePrerequisite(hdr, answer());
                    }
                } else {
                    host.weird("DNS_dynamic_update_invalid_prereq", null);
                }
                return true;
            }
        }
        if (rdlength == 0 && c.remaining() > 0) {
            if (dynamicUpdate) {
                return true;
            }
            host.weird("DNS_zero_rdlength", null);
            return false;
        }
        switch (rrType) {
            case A: return parseA(rdlength);
            case A6:
            case AAAA: return parseAaaa();
            case NS:
            case CNAME:
            case PTR: return parseNameRecord(rdlength);
            case SOA: return parseSoa(rdlength);
            case WKS:
                if (skipEvent) {
                    c.skip(rdlength);
                } else {
                    reply(""); // Zeek reports WKS without reading (or skipping) its RDATA
                }
                return true;
            case MX: return parseMx(rdlength);
            case TXT: return parseTexts(rdlength, "TXT");
            case SPF: return parseTexts(rdlength, "SPF");
            case SRV:
                if (host.respPort() == NETBIOS_PORT) {
                    return true; // NetBIOS NBSTAT: left unparsed and unconsumed, as in Zeek
                }
                return parseSrv(rdlength);
            case NAPTR: return parseNaptr(rdlength);
            case OPT: return parseEdns(rdlength);
            case TSIG: return parseTsig();
            case RRSIG: return parseRrsig(rdlength);
            case DNSKEY: return parseDnskey(rdlength);
            case NSEC: return parseNsec(rdlength);
            case NSEC3: return parseNsec3(rdlength);
            case NSEC3PARAM: return parseNsec3Param(rdlength);
            case DS: return parseDs(rdlength);
            case BINDS: return parseBinds(rdlength);
            case SSHFP: return parseSshfp(rdlength);
            case LOC: return parseLoc(rdlength);
            case SVCB:
            case HTTPS: return parseSvcb(rdlength);
            case HINFO: // nothing in Zeek's default scripts reports these: their RDATA is skipped
            case CAA:
            case TKEY:
            case NBS:
                c.skip(rdlength);
                return true;
            default:
                reply("<unknown type=" + rrType + ">");
                host.weird("DNS_RR_unknown_type", Integer.toString(rrType));
                c.skip(rdlength);
                return true;
        }
    }

    // ---- record types --------------------------------------------------------------------------------------

    private boolean dynamicUpdateForm() {
        return hdr.opcode() == OP_UPDATE && !hdr.netbios();
    }

    private boolean parseA(int rdlength) {
        if (rdlength != 4) {
            host.weird("DNS_RR_bad_length", null);
            return false;
        }
        long a = c.u32();
        String addr = ((a >> 24) & 0xff) + "." + ((a >> 16) & 0xff) + "." + ((a >> 8) & 0xff) + "." + (a & 0xff);
        reply(dynamicUpdateForm() ? "A " + rrName + " " + addr : addr);
        return true;
    }

    private boolean parseAaaa() {
        byte[] addr = new byte[16];
        for (int i = 0; i < 4; i++) {
            long w = c.u32();
            addr[i * 4] = (byte) (w >> 24);
            addr[i * 4 + 1] = (byte) (w >> 16);
            addr[i * 4 + 2] = (byte) (w >> 8);
            addr[i * 4 + 3] = (byte) w;
        }
        String text = DnsText.ipv6(addr);
        if (dynamicUpdateForm()) {
            text = (rrType == AAAA ? "AAAA " : "A6 ") + rrName + " " + text;
        }
        reply(text);
        return true;
    }

    private void checkLength(int start, int rdlength) {
        if (c.pos - start != rdlength) {
            host.weird("DNS_RR_length_mismatch", null);
        }
    }

    private boolean parseNameRecord(int rdlength) {
        int start = c.pos;
        NameBuf name = new NameBuf();
        if (!extractName(c, name, true, 0)) {
            return false;
        }
        checkLength(start, rdlength);
        reply(name.text());
        return true;
    }

    private boolean parseSoa(int rdlength) {
        int start = c.pos;
        NameBuf mname = new NameBuf();
        if (!extractName(c, mname, true, 0)) {
            return false;
        }
        if (!extractName(c, new NameBuf(), true, 0)) {
            return false;
        }
        if (c.remaining() < 20) {
            return false;
        }
        c.skip(20);
        checkLength(start, rdlength);
        reply(mname.text());
        return true;
    }

    private boolean parseMx(int rdlength) {
        int start = c.pos;
        c.u16();
        NameBuf name = new NameBuf();
        if (!extractName(c, name, true, 0)) {
            return false;
        }
        checkLength(start, rdlength);
        reply(name.text());
        return true;
    }

    private boolean parseSrv(int rdlength) {
        int start = c.pos;
        c.u16();
        c.u16();
        c.u16();
        NameBuf name = new NameBuf();
        if (!extractName(c, name, true, 0)) {
            return false;
        }
        checkLength(start, rdlength);
        reply(name.text());
        return true;
    }

    /** A character-string (RFC 1035 section 3.3) within what is left of the RDATA, or null. */
    private String charString(int[] rdlen) {
        if (rdlen[0] <= 0) {
            return null;
        }
        int size = c.u8raw();
        rdlen[0]--;
        if (size > rdlen[0]) {
            host.weird("DNS_TXT_char_str_past_rdlen", null);
            return null;
        }
        String s = c.text(size);
        rdlen[0] -= size;
        return s;
    }

    private boolean parseTexts(int rdlength, String label) {
        if (skipEvent) {
            c.skip(rdlength);
            return true;
        }
        int[] rdlen = {rdlength};
        StringBuilder sb = new StringBuilder();
        String s;
        int n = 0;
        while ((s = charString(rdlen)) != null) {
            if (n++ > 0) {
                sb.append(' ');
            }
            sb.append(label).append(' ').append(s.length()).append(' ').append(s);
        }
        reply(sb.toString());
        return rdlen[0] == 0;
    }

    private boolean parseNaptr(int rdlength) {
        int order = c.u16();
        int preference = c.u16();
        int[] rdlen = {rdlength - 4};
        if (c.remaining() <= 0 || rdlen[0] <= 0) {
            host.violation("DNS_NAPTR_too_short");
            return false;
        }
        String flags = charString(rdlen);
        String service = charString(rdlen);
        String regexp = charString(rdlen);
        NameBuf replacement = new NameBuf();
        boolean replOk = extractName(c, replacement, false, 0);
        if (flags == null || service == null || regexp == null || !replOk) {
            host.violation("DNS_NAPTR_RR_too_short");
            return false;
        }
        String tail = regexp;
        String repl = replacement.text();
        if (!repl.isEmpty()) {
            tail = tail.isEmpty() ? repl : tail + " " + repl;
        }
        reply("NAPTR " + order + " " + preference + " " + flags + " " + service + " " + tail);
        return true;
    }

    private boolean parseEdns(int rdlength) {
        int remaining = rdlength;
        while (remaining >= 4) {
            int code = c.u16();
            int optLen = c.u16();
            remaining -= 4;
            if (optLen > remaining) {
                host.weird("EDNS_truncated_option", null);
                return false;
            }
            checkEdnsOption(code, c.pos, optLen);
            c.skip(optLen);
            remaining -= optLen;
        }
        if (remaining != 0) {
            host.weird("EDNS_truncated_option", null);
            return false;
        }
        return true;
    }

    /** Weirds Zeek raises for EDNS client-subnet (RFC 7871) and TCP keepalive (RFC 7828) options. */
    private void checkEdnsOption(int code, int at, int optLen) {
        if (code == 8) {
            if (optLen <= 4) {
                host.weird("EDNS_ECS_invalid_option_len", null);
                return;
            }
            int family = ((c.buf[at] & 0xff) << 8) | (c.buf[at + 1] & 0xff);
            int srcPrefix = c.buf[at + 2] & 0xff;
            int haveBits = (optLen - 4) * 8;
            if (family == 1 || family == 2) {
                String v = family == 1 ? "v4" : "v6";
                int max = family == 1 ? 32 : 128;
                if (srcPrefix > max) {
                    host.weird("EDNS_ECS_invalid_addr_" + v + "_prefix", srcPrefix + " bits");
                } else if (srcPrefix > haveBits) {
                    host.weird("EDNS_ECS_invalid_addr_" + v, "need " + srcPrefix + " bits, have " + haveBits + " bits");
                }
            }
        } else if (code == 11) {
            if ((optLen == 0 || optLen == 2) && host.isUdp()) {
                host.weird("EDNS_TCP_Keepalive_In_UDP", null);
            }
        }
    }

    private void octets() {
        int n = Math.min(c.u16(), c.remaining());
        c.skip(n);
    }

    private boolean parseTsig() {
        if (!extractName(c, new NameBuf(), true, 0)) {
            return false;
        }
        c.u32();
        c.u16();
        c.u16();
        octets();
        c.u16();
        c.u16();
        octets();
        return true;
    }

    private boolean parseRrsig(int rdlength) {
        if (skipEvent) {
            c.skip(rdlength);
            return true;
        }
        if (c.remaining() < 18) {
            return false;
        }
        int typeCovered = c.u16();
        int algo = c.u8raw();
        c.u8raw();
        c.skip(14);
        int start = c.pos;
        NameBuf signer = new NameBuf();
        if (!extractName(c, signer, true, 0)) {
            return false;
        }
        c.stream(rdlength - ((c.pos - start) + 18));
        algorithmWeird("DNSSEC_RRSIG_", algo);
        String s = signer.text();
        reply("RRSIG " + typeCovered + " " + (s.isEmpty() ? "<Root>" : s));
        return true;
    }

    /** Weirds for DNSSEC algorithm numbers (RFC 8624 and the IANA DNSSEC algorithm registry). */
    private void algorithmWeird(String prefix, int algo) {
        String a = Integer.toString(algo);
        switch (algo) {
            case 1: host.weird(prefix + "NotRecommended_ZoneSignAlgo", a); break;
            case 2: case 3: case 4: case 5: case 6: case 7: case 8: case 10: case 12: case 13: case 14: case 15:
            case 16: break;
            case 252: host.weird(prefix + "Indirect_ZoneSignAlgo", a); break;
            case 253: host.weird(prefix + "PrivateDNS_ZoneSignAlgo", a); break;
            case 254: host.weird(prefix + "PrivateOID_ZoneSignAlgo", a); break;
            default: host.weird(prefix + "unknown_ZoneSignAlgo", a); break;
        }
    }

    private boolean parseDnskey(int rdlength) {
        if (skipEvent) {
            c.skip(rdlength);
            return true;
        }
        if (c.remaining() < 4) {
            return false;
        }
        int flags = c.u16();
        int protocol = c.u8raw();
        int algo = c.u8raw();
        c.stream(rdlength - 4);
        if ((flags & 0xfe7e) != 0) {
            host.weird("DNSSEC_DNSKEY_Invalid_Flag", Integer.toString(flags));
        }
        if ((flags & 0x0181) == 0x0181) {
            host.weird("DNSSEC_DNSKEY_Revoked_KSK", Integer.toString(flags));
        }
        if (protocol != 3) {
            host.weird("DNSSEC_DNSKEY_Invalid_Protocol", Integer.toString(protocol));
        }
        algorithmWeird("DNSSEC_DNSKEY_", algo);
        reply("DNSKEY " + algo);
        return true;
    }

    private void typeBitmaps(int bitmapLen, String weird) {
        while (bitmapLen > 0 && c.remaining() > 0) {
            int blockLen = c.u16();
            int window = (blockLen >> 8) & 0xff;
            int len = blockLen & 0xff;
            if (len == 0) {
                host.weird(weird, Integer.toString(window));
                break;
            }
            c.stream(len);
            bitmapLen -= 2 + len;
        }
    }

    private boolean parseNsec(int rdlength) {
        if (skipEvent) {
            c.skip(rdlength);
            return true;
        }
        int start = c.pos;
        NameBuf next = new NameBuf();
        if (!extractName(c, next, true, 0)) {
            return false;
        }
        typeBitmaps(rdlength - (c.pos - start), "DNSSEC_NSEC_bitmapLen0");
        reply("NSEC " + rrName + " " + next.text());
        return true;
    }

    private boolean parseNsec3(int rdlength) {
        if (skipEvent) {
            c.skip(rdlength);
            return true;
        }
        if (c.remaining() < 6) {
            return false;
        }
        int start = c.pos;
        c.u16();
        c.u16();
        c.stream(c.remaining() > 0 ? c.u8raw() : 0);
        c.stream(c.remaining() > 0 ? c.u8raw() : 0);
        typeBitmaps(rdlength - (c.pos - start), "DNSSEC_NSEC3_bitmapLen0");
        reply("NSEC3");
        return true;
    }

    private boolean parseNsec3Param(int rdlength) {
        if (skipEvent) {
            c.skip(rdlength);
            return true;
        }
        if (c.remaining() < 5) {
            return false;
        }
        c.u16();
        c.u16();
        c.stream(c.remaining() > 0 ? c.u8raw() : 0);
        reply("NSEC3PARAM");
        return true;
    }

    private boolean parseDs(int rdlength) {
        if (skipEvent) {
            c.skip(rdlength);
            return true;
        }
        if (c.remaining() < 4) {
            return false;
        }
        c.u16();
        int algo = c.u8raw();
        int digestType = c.u8raw();
        c.stream(rdlength - 4);
        if (digestType == 0) {
            host.weird("DNSSEC_DS_ReservedDigestType", "0");
        } else if (digestType > 4) {
            host.weird("DNSSEC_DS_unknown_DigestType", Integer.toString(digestType));
        }
        reply("DS " + algo + " " + digestType);
        return true;
    }

    private boolean parseBinds(int rdlength) {
        if (skipEvent) {
            c.skip(rdlength);
            return true;
        }
        if (c.remaining() < 5) {
            return false;
        }
        c.skip(5); // algorithm, key id, removal flag, complete flag: Zeek reads exactly these five bytes
        reply("BIND9 signing signal");
        return true;
    }

    private boolean parseSshfp(int rdlength) {
        if (skipEvent) {
            c.skip(rdlength);
            return true;
        }
        if (c.remaining() < 2) {
            return false;
        }
        c.u16();
        int from = c.pos;
        int n = c.stream(rdlength - 2);
        reply("SSHFP: " + DnsText.hex(c.buf, from, n));
        return true;
    }

    private boolean parseLoc(int rdlength) {
        if (rdlength != 16) {
            host.weird("dns_invalid_loc_length", null);
            return false;
        }
        if (skipEvent) {
            c.skip(rdlength);
            return true;
        }
        int version = c.u8raw();
        int size = c.u8raw();
        int horiz = c.u8raw();
        int vert = c.u8raw();
        c.skip(12);
        if (version != 0) {
            host.weird("DNS_LOC_version_unrecognized", Integer.toString(version));
        }
        reply("LOC:  " + size + " " + horiz + " " + vert);
        return true;
    }

    /** SVCB and HTTPS (RFC 9460 section 2.2). Zeek's default scripts log nothing for them; weirds only. */
    private boolean parseSvcb(int rdlength) {
        int start = c.pos;
        if (rdlength < 3) {
            host.weird("DNS_SVCB_wrong_length", null);
            return false;
        }
        int priority = c.u16();
        if (!extractName(c, new NameBuf(), false, 0)) {
            return false;
        }
        int paramsLen = rdlength - (c.pos - start);
        if (paramsLen > 0) {
            if (priority == 0) {
                host.weird("DNS_SVCB_aliasmode_with_params", null);
            }
            parseSvcParams(paramsLen);
        }
        return true;
    }

    private void parseSvcParams(int paramsLen) {
        while (paramsLen >= 4) {
            int key = c.u16();
            int valueLen = c.u16();
            paramsLen -= 4;
            if (valueLen > paramsLen) {
                host.weird("DNS_SVCB_param_value_toobig", valueLen + " capped to " + paramsLen);
                valueLen = paramsLen;
                c.stream(valueLen);
                paramsLen -= valueLen;
                continue;
            }
            String bad = null;
            switch (key) {
                case 0: // mandatory
                    if (valueLen == 0 || valueLen % 2 != 0) {
                        bad = "DNS_SVCB_mandatory_length_invalid";
                    }
                    break;
                case 1: // alpn
                    if (!alpnValid(valueLen)) {
                        bad = "DNS_SVCB_alpn_length_invalid";
                    }
                    break;
                case 2: // no-default-alpn
                    if (valueLen > 0) {
                        bad = "DNS_SVCB_nodefaultalpn_value";
                    }
                    break;
                case 3: // port
                    if (valueLen != 2) {
                        bad = "DNS_SVCB_port_length_invalid";
                    }
                    break;
                case 4: // ipv4hint
                case 6: // ipv6hint
                    if (valueLen % (key == 4 ? 4 : 16) != 0) {
                        bad = "DNS_SVCB_hint_length_invalid";
                    }
                    break;
                case 5: // ech
                    break;
                default:
                    bad = "DNS_SVCB_key_reserved_or_invalid";
                    break;
            }
            if (bad != null) {
                host.weird(bad, null);
            }
            // Well-formed or not, each value occupies exactly valueLen bytes.
            c.stream(valueLen);
            paramsLen -= valueLen;
        }
    }

    /** Whether an alpn value is a well-formed list of non-empty length-prefixed ids filling it exactly. */
    private boolean alpnValid(int valueLen) {
        int parsed = 0;
        int at = c.pos;
        while (parsed + 2 <= valueLen) {
            int idLen = c.buf[at + parsed] & 0xff;
            parsed += 1;
            if (idLen == 0 || idLen + parsed > valueLen) {
                return false;
            }
            parsed += idLen;
        }
        return parsed == valueLen;
    }

    // ---- names ---------------------------------------------------------------------------------------------

    /** A name being assembled: at most {@value #NAME_CAPACITY} bytes, labels joined by dots. */
    static final class NameBuf {
        final byte[] b = new byte[NAME_CAPACITY + 1];
        int len;

        String text() {
            return new String(b, 0, len, StandardCharsets.ISO_8859_1);
        }
    }

    private enum Label { CONTINUE, END, ERROR }

    /**
     * Reads a domain name (RFC 1035 sections 3.1 and 4.1.4) into {@code out}. Compression pointers must point
     * backwards; the name they point to may only extend up to the pointer itself. A trailing dot is removed.
     *
     * @return false on a parse error (a weird has been reported)
     */
    private boolean extractName(Cursor in, NameBuf out, boolean downcase, int depth) {
        if (depth > options.maxCompressionChainDepth()) {
            host.weird("DNS_max_compression_chain_depth_exceeded", Integer.toString(depth));
            return true;
        }
        int start = out.len;
        while (true) {
            Label l = extractLabel(in, out, depth);
            if (l == Label.ERROR) {
                return false;
            }
            if (l == Label.END) {
                break;
            }
        }
        int n = out.len - start;
        if (n >= 255) {
            host.weird("DNS_NAME_too_long", null);
        }
        if (n >= 2 && out.b[out.len - 1] == '.') {
            out.len--;
        }
        if (downcase) {
            for (int i = start; i < out.len; i++) {
                if (out.b[i] >= 'A' && out.b[i] <= 'Z') {
                    out.b[i] += 32;
                }
            }
        }
        return true;
    }

    private Label extractLabel(Cursor in, NameBuf out, int depth) {
        if (in.remaining() <= 0) {
            host.weird("dns_invalid_name", null);
            return Label.ERROR;
        }
        int labelAt = in.pos;
        int labelLen = in.buf[in.pos++] & 0xff;
        if (labelLen == 0) {
            return Label.END;
        }
        if ((labelLen & 0xc0) == 0xc0) {
            if (in.remaining() <= 0) {
                host.weird("dns_invalid_name", null);
                return Label.ERROR;
            }
            int offset = ((labelLen & 0x3f) << 8) | (in.buf[in.pos++] & 0xff);
            if (offset >= labelAt - in.msgStart) {
                host.weird("DNS_label_forward_compress_offset", null);
                return Label.ERROR;
            }
            Cursor target = new Cursor(in.buf, in.msgStart, in.msgStart + offset, labelAt);
            return extractName(target, out, true, depth + 1) ? Label.END : Label.ERROR;
        }
        if (labelLen > in.remaining()) {
            host.weird("DNS_label_len_gt_pkt", null);
            in.pos = in.end;
            return Label.ERROR;
        }
        if (labelLen > 63 && host.respPort() != NETBIOS_PORT) {
            host.weird("DNS_label_too_long", null);
            return Label.ERROR;
        }
        if (labelLen >= NAME_CAPACITY - out.len) {
            host.weird("DNS_label_len_gt_name_len", null);
            return Label.ERROR;
        }
        System.arraycopy(in.buf, in.pos, out.b, out.len, labelLen);
        out.len += labelLen;
        out.b[out.len++] = '.';
        in.pos += labelLen;
        return Label.CONTINUE;
    }

    private static String lower(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch >= 'A' && ch <= 'Z') {
                if (sb == null) {
                    sb = new StringBuilder(s);
                }
                sb.setCharAt(i, (char) (ch + 32));
            }
        }
        return sb == null ? s : sb.toString();
    }

    // ---- cursor --------------------------------------------------------------------------------------------

    /** A read position in a message; reads past {@code end} return 0 and consume nothing, as in Zeek. */
    static final class Cursor {
        final byte[] buf;
        final int msgStart;
        int pos;
        final int end;

        Cursor(byte[] buf, int msgStart, int pos, int end) {
            this.buf = buf;
            this.msgStart = msgStart;
            this.pos = pos;
            this.end = end;
        }

        int remaining() {
            return end - pos;
        }

        /** One byte; the caller has checked that one is left. */
        int u8raw() {
            if (remaining() < 1) {
                return 0;
            }
            return buf[pos++] & 0xff;
        }

        int u16() {
            if (remaining() < 2) {
                return 0;
            }
            int v = ((buf[pos] & 0xff) << 8) | (buf[pos + 1] & 0xff);
            pos += 2;
            return v;
        }

        long u32() {
            if (remaining() < 4) {
                return 0;
            }
            long v = ((long) (buf[pos] & 0xff) << 24) | ((buf[pos + 1] & 0xff) << 16) | ((buf[pos + 2] & 0xff) << 8)
                    | (buf[pos + 3] & 0xff);
            pos += 4;
            return v;
        }

        void skip(int n) {
            pos += Math.max(0, Math.min(n, remaining()));
        }

        /** Consumes up to {@code n} bytes (none when negative); returns how many. */
        int stream(int n) {
            int k = Math.max(0, Math.min(n, remaining()));
            pos += k;
            return k;
        }

        String text(int n) {
            int k = Math.max(0, Math.min(n, remaining()));
            String s = new String(buf, pos, k, StandardCharsets.ISO_8859_1);
            pos += k;
            return s;
        }
    }
}
