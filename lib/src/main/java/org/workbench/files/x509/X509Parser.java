package org.workbench.files.x509;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Parses a DER certificate into an {@link X509Certificate} as Zeek's X509 file analyzer (OpenSSL underneath) would
 * describe it. Problems are reported through a weird callback with Zeek's weird names ({@code x509_cert_parse_error},
 * {@code x509_san_parse_error}, {@code x509_invalid_basic_constraint}, {@code x509_san_ip_length},
 * {@code x509_utc_format}...); a certificate that does not parse at all yields null.
 */
public final class X509Parser {
    private X509Parser() {
    }

    /**
     * @param der    the certificate
     * @param weirds receives (name, addl) for each problem; addl may be null
     * @return the parsed certificate, or null after an {@code x509_cert_parse_error} weird
     */
    public static X509Certificate parse(byte[] der, BiConsumer<String, String> weirds) {
        try {
            return parseOrThrow(der, weirds);
        } catch (Der.DerException | RuntimeException e) {
            weirds.accept("x509_cert_parse_error", null);
            return null;
        }
    }

    /** SHA-256 of the bytes, lower-case hex. */
    public static String sha256(byte[] der) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate parseOrThrow(byte[] der, BiConsumer<String, String> weirds)
            throws Der.DerException {
        Der cert = Der.read(der, 0, der.length).expect(0x30);
        List<Der> top = cert.children();
        if (top.size() < 3) {
            throw new Der.DerException("certificate without signature");
        }
        Der tbs = top.get(0).expect(0x30);
        String sigAlg = Oids.algorithmName(top.get(1).expect(0x30).children().get(0).oid());
        List<Der> f = tbs.children();
        int i = 0;
        long version = 1;
        if (f.get(i).tag == 0xa0) {
            Der v = Der.read(der, f.get(i).contentStart, f.get(i).end()).expect(0x02);
            version = new BigInteger(v.content()).longValue() + 1;
            i++;
        }
        Der serialEl = f.get(i++).expect(0x02);
        String serial = serial(serialEl.content());
        f.get(i++).expect(0x30); // tbs signature algorithm
        Der issuerEl = f.get(i++);
        Der validity = f.get(i++).expect(0x30);
        Der subjectEl = f.get(i++);
        Der spki = f.get(i++).expect(0x30);
        List<Der> val = validity.children();
        double nb = time(val.get(0), weirds);
        double na = time(val.get(1), weirds);
        String subject = X509Names.render(subjectEl);
        String issuer = X509Names.render(issuerEl);
        String cn = X509Names.lastCommonName(subjectEl);

        List<Der> spkiParts = spki.children();
        List<Der> alg = spkiParts.get(0).expect(0x30).children();
        String keyOid = alg.get(0).oid();
        String keyAlg = Oids.algorithmName(keyOid);
        Der keyBits = spkiParts.get(1).expect(0x03);
        String keyType = null;
        Long keyLength = null;
        String exponent = null;
        String curve = null;
        try {
            if (keyOid.equals("1.2.840.113549.1.1.1") || keyOid.equals("1.2.840.113549.1.1.4")
                    || keyOid.equals("2.5.8.1.1")) {
                Der rsa = Der.read(der, keyBits.contentStart + 1, keyBits.end()).expect(0x30);
                List<Der> nums = rsa.children();
                BigInteger mod = new BigInteger(1, nums.get(0).expect(0x02).content());
                BigInteger exp = new BigInteger(1, nums.get(1).expect(0x02).content());
                keyType = "rsa";
                keyLength = (long) mod.bitLength();
                exponent = exp.toString();
            } else if (keyOid.equals("1.2.840.10040.4.1")) {
                keyType = "dsa";
                if (alg.size() > 1 && alg.get(1).tag == 0x30) {
                    keyLength = (long) new BigInteger(1, alg.get(1).children().get(0).content()).bitLength();
                }
            } else if (keyOid.equals("1.2.840.10045.2.1")) {
                keyType = "ecdsa";
                if (alg.size() > 1 && alg.get(1).tag == 0x06) {
                    Oids.Curve c = Oids.CURVES.get(alg.get(1).oid());
                    if (c != null) {
                        curve = c.name();
                        keyLength = (long) c.bits();
                    }
                }
            } else if (keyOid.equals("1.3.101.112")) {
                keyType = "ED25519";
                keyLength = 253L;
            } else if (keyOid.equals("1.3.101.113")) {
                keyType = "ED448";
                keyLength = 456L;
            }
        } catch (Der.DerException | RuntimeException e) {
            keyType = null;
            keyLength = null;
            exponent = null;
            curve = null;
        }

        List<String> dns = null;
        List<String> uri = null;
        List<String> email = null;
        List<InetAddress> ips = null;
        boolean hasSan = false;
        Boolean ca = null;
        Long pathLen = null;
        for (; i < f.size(); i++) {
            if (f.get(i).tag != 0xa3) {
                continue;
            }
            Der exts = Der.read(der, f.get(i).contentStart, f.get(i).end()).expect(0x30);
            for (Der ext : exts.children()) {
                List<Der> parts = ext.expect(0x30).children();
                String oid = parts.get(0).oid();
                Der value = parts.get(parts.size() - 1);
                if (oid.equals("2.5.29.17") && !hasSan) {
                    try {
                        Der names = Der.read(der, value.expect(0x04).contentStart, value.end()).expect(0x30);
                        hasSan = true;
                        for (Der gn : names.children()) {
                            int t = gn.tag & 0x1f;
                            if ((gn.tag & 0xc0) != 0x80) {
                                continue;
                            }
                            if (t == 1 || t == 2 || t == 6) {
                                String s = new String(gn.content(), StandardCharsets.ISO_8859_1);
                                if (t == 2) {
                                    dns = add(dns, s);
                                } else if (t == 6) {
                                    uri = add(uri, s);
                                } else {
                                    email = add(email, s);
                                }
                            } else if (t == 7) {
                                if (gn.length == 4 || gn.length == 16) {
                                    try {
                                        ips = add(ips, InetAddress.getByAddress(gn.content()));
                                    } catch (UnknownHostException e) {
                                        weirds.accept("x509_san_ip_length", Integer.toString(gn.length));
                                    }
                                } else {
                                    weirds.accept("x509_san_ip_length", Integer.toString(gn.length));
                                }
                            }
                        }
                    } catch (Der.DerException | RuntimeException e) {
                        weirds.accept("x509_san_parse_error", null);
                    }
                } else if (oid.equals("2.5.29.19") && ca == null) {
                    try {
                        Der bc = Der.read(der, value.expect(0x04).contentStart, value.end()).expect(0x30);
                        boolean isCa = false;
                        Long pl = null;
                        for (Der e : bc.children()) {
                            if (e.tag == 0x01) {
                                isCa = e.length == 1 && e.buf[e.contentStart] != 0;
                            } else if (e.tag == 0x02) {
                                pl = new BigInteger(e.content()).longValue();
                            }
                        }
                        ca = isCa;
                        pathLen = pl;
                    } catch (Der.DerException | RuntimeException e) {
                        weirds.accept("x509_invalid_basic_constraint", null);
                    }
                }
            }
        }
        return new X509Certificate(sha256(der), version, serial, subject, issuer, cn, nb, na, keyAlg, sigAlg,
                keyType, keyLength, exponent, curve, dns, uri, email, ips, hasSan, ca, pathLen);
    }

    private static <T> List<T> add(List<T> l, T v) {
        List<T> out = l == null ? new ArrayList<>() : l;
        out.add(v);
        return out;
    }

    /** OpenSSL's {@code i2a_ASN1_INTEGER}: magnitude bytes in upper-case hex, "-" for negatives, "00" for zero. */
    static String serial(byte[] content) {
        if (content.length == 0) {
            return "00";
        }
        BigInteger v = new BigInteger(content);
        boolean neg = v.signum() < 0;
        byte[] mag = v.abs().toByteArray();
        int off = 0;
        while (off < mag.length - 1 && mag[off] == 0) {
            off++;
        }
        if (v.signum() == 0) {
            return "00";
        }
        StringBuilder sb = new StringBuilder(neg ? "-" : "");
        for (int i = off; i < mag.length; i++) {
            if (i - off != 0 && (i - off) % 35 == 0) {
                sb.append("\\\n");
            }
            sb.append(String.format("%02X", mag[i] & 0xff));
        }
        return sb.toString();
    }

    /** UTCTime or GeneralizedTime to seconds since the epoch. */
    static double time(Der t, BiConsumer<String, String> weirds) throws Der.DerException {
        String s = new String(t.content(), StandardCharsets.US_ASCII);
        int year;
        int p;
        if (t.tag == 0x17) {
            if (s.length() < 11) {
                weirds.accept("x509_utc_length", null);
                return 0;
            }
            int yy = Integer.parseInt(s.substring(0, 2));
            year = yy >= 50 ? 1900 + yy : 2000 + yy;
            p = 2;
        } else if (t.tag == 0x18) {
            if (s.length() < 12) {
                weirds.accept("x509_gen_time_length", null);
                return 0;
            }
            year = Integer.parseInt(s.substring(0, 4));
            p = 4;
        } else {
            weirds.accept("x509_invalid_time_type", null);
            return 0;
        }
        try {
            int mon = Integer.parseInt(s.substring(p, p + 2));
            int day = Integer.parseInt(s.substring(p + 2, p + 4));
            int hour = Integer.parseInt(s.substring(p + 4, p + 6));
            int min = Integer.parseInt(s.substring(p + 6, p + 8));
            p += 8;
            int sec = 0;
            if (p + 2 <= s.length() && Character.isDigit(s.charAt(p))) {
                sec = Integer.parseInt(s.substring(p, p + 2));
                p += 2;
            }
            if (p < s.length() && s.charAt(p) == '.') {
                p++;
                while (p < s.length() && Character.isDigit(s.charAt(p))) {
                    p++;
                }
            }
            long offset = 0;
            if (p < s.length() && (s.charAt(p) == '+' || s.charAt(p) == '-')) {
                if (p + 5 > s.length()) {
                    weirds.accept("x509_time_offset_underflow", null);
                } else {
                    int oh = Integer.parseInt(s.substring(p + 1, p + 3));
                    int om = Integer.parseInt(s.substring(p + 3, p + 5));
                    offset = (oh * 3600L + om * 60L) * (s.charAt(p) == '+' ? 1 : -1);
                }
            }
            LocalDateTime ldt = LocalDateTime.of(year, mon, day, hour, min, Math.min(sec, 59));
            return ldt.toEpochSecond(ZoneOffset.UTC) - offset;
        } catch (RuntimeException e) {
            weirds.accept("x509_utc_format", null);
            return 0;
        }
    }
}
