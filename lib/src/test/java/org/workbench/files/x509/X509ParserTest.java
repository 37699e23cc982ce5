package org.workbench.files.x509;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.zeeklog.LogCollector;
import org.workbench.zeeklog.LogRecord;

class X509ParserTest {
    @TempDir
    Path tmp;

    private static java.security.cert.X509Certificate jdk(byte[] der) throws Exception {
        return (java.security.cert.X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
    }

    @Test
    void rsaCertificateMatchesTheJdksView() throws Exception {
        byte[] der = TestCerts.generate(tmp, "RSA", "CN=www.example.com, OU=Web, O=Example, L=Springfield, C=US",
                "san=dns:www.example.com,dns:*.example.org,ip:10.0.0.1,email:a@example.com,uri:http://x.example/",
                "bc=ca:true,pathlen:2");
        List<String> weirds = new ArrayList<>();
        X509Certificate c = X509Parser.parse(der, (n, a) -> weirds.add(n));
        java.security.cert.X509Certificate j = jdk(der);
        assertTrue(weirds.isEmpty(), weirds.toString());
        assertEquals(3, c.version());
        assertEquals(j.getSerialNumber().toString(16).toUpperCase(), c.serial().replaceFirst("^0+(?=.)", ""));
        assertEquals("CN=www.example.com,OU=Web,O=Example,L=Springfield,C=US", c.subject());
        assertEquals(c.subject(), c.issuer());
        assertEquals("www.example.com", c.commonName());
        assertEquals(j.getNotBefore().getTime() / 1000.0, c.notValidBefore());
        assertEquals(j.getNotAfter().getTime() / 1000.0, c.notValidAfter());
        assertEquals("rsaEncryption", c.keyAlg());
        assertEquals("sha384WithRSAEncryption".equals(c.sigAlg()) || "sha256WithRSAEncryption".equals(c.sigAlg()),
                true, c.sigAlg());
        assertEquals("rsa", c.keyType());
        assertEquals(2048L, c.keyLength());
        assertEquals(((RSAPublicKey) j.getPublicKey()).getPublicExponent().toString(), c.exponent());
        assertNull(c.curve());
        assertEquals(List.of("www.example.com", "*.example.org"), c.sanDns());
        assertEquals(List.of("http://x.example/"), c.sanUri());
        assertEquals(List.of("a@example.com"), c.sanEmail());
        assertEquals(List.of(InetAddress.getByName("10.0.0.1")), c.sanIp());
        assertEquals(Boolean.TRUE, c.ca());
        assertEquals(2L, c.pathLen());
        assertEquals(X509Parser.sha256(der), c.fingerprint());
        assertEquals(64, c.fingerprint().length());
    }

    @Test
    void ecCertificate() throws Exception {
        byte[] der = TestCerts.generate(tmp, "EC", "CN=ec.example, O=Example");
        X509Certificate c = X509Parser.parse(der, (n, a) -> { });
        assertEquals("id-ecPublicKey", c.keyAlg());
        assertEquals("ecdsa", c.keyType());
        assertEquals("prime256v1", c.curve());
        assertEquals(256L, c.keyLength());
        assertNull(c.exponent());
        assertTrue(c.sigAlg().startsWith("ecdsa-with-SHA"), c.sigAlg());
        assertNull(c.sanDns());
        assertNull(c.ca());
    }

    @Test
    void garbageIsAWeirdNotAnException() {
        List<String> weirds = new ArrayList<>();
        assertNull(X509Parser.parse(new byte[] {0x30, 0x03, 0x02, 0x01}, (n, a) -> weirds.add(n)));
        assertNull(X509Parser.parse(new byte[0], (n, a) -> weirds.add(n)));
        assertNull(X509Parser.parse("not a certificate".getBytes(StandardCharsets.US_ASCII),
                (n, a) -> weirds.add(n)));
        assertEquals(List.of("x509_cert_parse_error", "x509_cert_parse_error", "x509_cert_parse_error"), weirds);
    }

    @Test
    void truncatedCertificatesNeverThrow() throws Exception {
        byte[] der = TestCerts.generate(tmp, "RSA", "CN=t");
        for (int n = 0; n < der.length; n += 7) {
            byte[] cut = java.util.Arrays.copyOf(der, n);
            X509Parser.parse(cut, (a, b) -> { });
        }
    }

    // ---- name rendering (OpenSSL XN_FLAG_RFC2253)

    private static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            content.writeBytes(p);
        }
        byte[] c = content.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        if (c.length < 128) {
            out.write(c.length);
        } else {
            out.write(0x82);
            out.write(c.length >> 8);
            out.write(c.length);
        }
        out.writeBytes(c);
        return out.toByteArray();
    }

    private static byte[] oid(String dotted) {
        String[] a = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Integer.parseInt(a[0]) * 40 + Integer.parseInt(a[1]));
        for (int i = 2; i < a.length; i++) {
            long v = Long.parseLong(a[i]);
            byte[] tmp = new byte[10];
            int n = 0;
            do {
                tmp[n++] = (byte) (v & 0x7f);
                v >>= 7;
            } while (v > 0);
            for (int k = n - 1; k >= 0; k--) {
                out.write(tmp[k] | (k > 0 ? 0x80 : 0));
            }
        }
        return tlv(0x06, out.toByteArray());
    }

    private static byte[] ava(String oid, int strTag, byte[] value) {
        return tlv(0x30, oid(oid), tlv(strTag, value));
    }

    private static String render(byte[]... rdns) throws Exception {
        byte[] name = tlv(0x30, rdns);
        return X509Names.render(Der.read(name, 0, name.length));
    }

    @Test
    void rfc2253Escaping() throws Exception {
        byte[] c = tlv(0x31, ava("2.5.4.6", 0x13, "US".getBytes()));
        byte[] o = tlv(0x31, ava("2.5.4.10", 0x0c, "Foo, Inc. <\"x\"+y;z\\>".getBytes(StandardCharsets.UTF_8)));
        byte[] cn = tlv(0x31, ava("2.5.4.3", 0x0c, "#café ".getBytes(StandardCharsets.UTF_8)));
        assertEquals("CN=\\#caf\\C3\\A9\\ ,O=Foo\\, Inc. \\<\\\"x\\\"\\+y\\;z\\\\\\>,C=US", render(c, o, cn));
    }

    @Test
    void multiValuedRdnsUnknownTypesAndOtherStrings() throws Exception {
        byte[] rdn = tlv(0x31, ava("2.5.4.3", 0x13, "a".getBytes()), ava("0.9.2342.19200300.100.1.1", 0x13,
                "b".getBytes()));
        byte[] dc = tlv(0x31, ava("0.9.2342.19200300.100.1.25", 0x16, "org".getBytes()));
        byte[] email = tlv(0x31, ava("1.2.840.113549.1.9.1", 0x16, "x@y.org".getBytes()));
        byte[] unknown = tlv(0x31, ava("1.2.3.4", 0x0c, "v".getBytes()));
        byte[] bmp = tlv(0x31, ava("2.5.4.11", 0x1e, new byte[] {0, 'h', 0, 'i', 0x00, (byte) 0xe9}));
        byte[] t61 = tlv(0x31, ava("2.5.4.7", 0x14, new byte[] {'M', (byte) 0xfc}));
        byte[] ctrl = tlv(0x31, ava("2.5.4.8", 0x13, new byte[] {'a', 0x01, 'b'}));
        byte[] octets = tlv(0x31, tlv(0x30, oid("2.5.4.17"), tlv(0x04, new byte[] {1, 2})));
        assertEquals("postalCode=#04020102,ST=a\\01b,L=M\\C3\\BC,OU=hi\\C3\\A9,1.2.3.4=#0C0176,"
                + "emailAddress=x@y.org,DC=org,UID=b+CN=a", render(dc.length > 0 ? rdn : rdn, dc, email,
                unknown, bmp, t61, ctrl, octets));
    }

    @Test
    void emptyNameAndSerials() throws Exception {
        assertEquals("", render());
        assertEquals("00", X509Parser.serial(new byte[] {0}));
        assertEquals("01", X509Parser.serial(new byte[] {1}));
        assertEquals("99FAA8037A4EB2FAEF84EB5E55D5B8C8", X509Parser.serial(
                new BigInteger("99FAA8037A4EB2FAEF84EB5E55D5B8C8", 16).toByteArray()));
        assertEquals("-01", X509Parser.serial(new byte[] {(byte) 0xff}));
    }

    // ---- x509.log and its caching

    @Test
    void logCachingDedupsPerFingerprintAndRole() throws Exception {
        byte[] der = TestCerts.generate(tmp, "RSA", "CN=cache.example");
        X509Certificate c = X509Parser.parse(der, (n, a) -> { });
        LogCollector logs = new LogCollector();
        X509Log log = new X509Log(logs);
        assertTrue(log.log(100, c, true, false));
        assertFalse(log.log(200, c, true, false));
        assertTrue(log.log(300, c, false, false), "another role is another key");
        assertFalse(log.log(100 + 86399, c, true, false));
        assertTrue(log.log(100 + 86400, c, true, false), "relogged after a day");
        assertEquals(3, logs.count("x509"));
        LogRecord r = logs.records("x509").get(0);
        assertEquals(c.fingerprint(), r.get("fingerprint"));
        assertEquals(Boolean.TRUE, r.get("host_cert"));
        assertEquals(Boolean.FALSE, r.get("client_cert"));
        assertEquals(X509Log.SCHEMA.names(), List.of("ts", "fingerprint", "certificate.version",
                "certificate.serial", "certificate.subject", "certificate.issuer", "certificate.not_valid_before",
                "certificate.not_valid_after", "certificate.key_alg", "certificate.sig_alg",
                "certificate.key_type", "certificate.key_length", "certificate.exponent", "certificate.curve",
                "san.dns", "san.uri", "san.email", "san.ip", "basic_constraints.ca",
                "basic_constraints.path_len", "host_cert", "client_cert"));

        LogCollector all = new LogCollector();
        X509Log noCache = new X509Log(all, 0, false);
        noCache.log(1, c, true, false);
        noCache.log(2, c, true, false);
        assertEquals(2, all.count("x509"));
        LogCollector hosts = new LogCollector();
        X509Log hostOnly = new X509Log(hosts, 0, true);
        hostOnly.log(1, c, false, false);
        hostOnly.log(1, c, true, false);
        assertEquals(1, hosts.count("x509"));
    }
}
