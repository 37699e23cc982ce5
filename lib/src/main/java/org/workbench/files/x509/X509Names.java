package org.workbench.files.x509;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders an X.509 {@code Name} the way OpenSSL's {@code X509_NAME_print_ex(..., XN_FLAG_RFC2253)} does, which is
 * how Zeek fills {@code certificate.subject} and {@code certificate.issuer}: attributes in reverse order, separated
 * by {@code ,} (and {@code +} inside a multi-valued RDN), attribute types by OpenSSL short name ({@code CN},
 * {@code O}, {@code emailAddress}...) or dotted OID when OpenSSL knows none; values converted to UTF-8 with the
 * RFC 2253 specials ({@code ,+"\<>;}, a leading {@code #} or space, a trailing space) escaped by a backslash, and
 * control characters and every byte above 0x7F escaped as {@code \XX}; values of unknown attribute types or of
 * non-string ASN.1 types are dumped as {@code #} followed by the hex of their DER encoding.
 */
public final class X509Names {
    private X509Names() {
    }

    /** One attribute of a name: type OID and its DER value element. */
    record Ava(String oid, Der value, boolean newRdn) {
    }

    /** Flattens a Name (SEQUENCE OF SET OF AttributeTypeAndValue) into its attributes in encoded order. */
    static List<Ava> attributes(Der name) throws Der.DerException {
        name.expect(0x30);
        List<Ava> out = new ArrayList<>();
        for (Der rdn : name.children()) {
            rdn.expect(0x31);
            boolean first = true;
            for (Der atv : rdn.children()) {
                atv.expect(0x30);
                List<Der> kv = atv.children();
                if (kv.size() != 2) {
                    throw new Der.DerException("attribute without type and value");
                }
                out.add(new Ava(kv.get(0).oid(), kv.get(1), first));
                first = false;
            }
        }
        return out;
    }

    /** The RFC 2253 rendering of a DER-encoded Name. */
    static String render(Der name) throws Der.DerException {
        List<Ava> avas = attributes(name);
        StringBuilder sb = new StringBuilder();
        for (int i = avas.size() - 1; i >= 0; i--) {
            Ava a = avas.get(i);
            String sn = Oids.ATTRIBUTE_SHORT.get(a.oid());
            sb.append(sn != null ? sn : a.oid()).append('=');
            if (sn == null) {
                hexDump(sb, a.value());
            } else {
                value(sb, a.value());
            }
            if (i > 0) {
                // the next printed attribute (i-1) belongs to the same RDN when attribute i did not start one
                sb.append(a.newRdn() ? ',' : '+');
            }
        }
        return sb.toString();
    }

    /** Value of the last CN attribute of a name as OpenSSL's {@code ASN1_STRING_print} prints it, or null. */
    static String lastCommonName(Der name) throws Der.DerException {
        String cn = null;
        for (Ava a : attributes(name)) {
            if (a.oid().equals("2.5.4.3")) {
                byte[] c = a.value().content();
                StringBuilder sb = new StringBuilder();
                for (byte b : c) {
                    int v = b & 0xff;
                    sb.append(v == '\n' || (v >= 0x20 && v <= 0x7e) ? (char) v : '.');
                }
                cn = sb.toString();
            }
        }
        return cn;
    }

    private static void hexDump(StringBuilder sb, Der v) {
        sb.append('#');
        for (byte b : v.encoded()) {
            sb.append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                    .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
        }
    }

    /** Bytes per character of the string types OpenSSL prints (0: UTF-8), -1 for other types. */
    private static int charWidth(int tag) {
        switch (tag) {
            case 12:
                return 0;
            case 18: case 19: case 20: case 22: case 23: case 24: case 26:
                return 1;
            case 28:
                return 4;
            case 30:
                return 2;
            default:
                return -1;
        }
    }

    private static void value(StringBuilder sb, Der v) {
        int width = charWidth(v.tag);
        if (width < 0) {
            hexDump(sb, v);
            return;
        }
        byte[] c = v.content();
        List<Integer> cps = new ArrayList<>();
        if (width == 0) {
            String s = new String(c, StandardCharsets.UTF_8);
            s.codePoints().forEach(cps::add);
        } else {
            for (int i = 0; i + width <= c.length; i += width) {
                int cp = 0;
                for (int k = 0; k < width; k++) {
                    cp = (cp << 8) | (c[i + k] & 0xff);
                }
                cps.add(cp);
            }
        }
        for (int i = 0; i < cps.size(); i++) {
            int cp = cps.get(i);
            byte[] utf8 = new String(Character.toChars(Character.isValidCodePoint(cp) ? cp : 0xfffd))
                    .getBytes(StandardCharsets.UTF_8);
            for (int k = 0; k < utf8.length; k++) {
                int b = utf8[k] & 0xff;
                boolean first = i == 0 && k == 0;
                boolean last = i == cps.size() - 1 && k == utf8.length - 1;
                escape(sb, b, first, last);
            }
        }
    }

    private static void escape(StringBuilder sb, int b, boolean first, boolean last) {
        if (b > 0x7f || b < 0x20 || b == 0x7f) {
            sb.append('\\').append(String.format("%02X", b));
        } else if (",+\"\\<>;".indexOf(b) >= 0 || (first && (b == '#' || b == ' ')) || (last && b == ' ')) {
            sb.append('\\').append((char) b);
        } else {
            sb.append((char) b);
        }
    }
}
