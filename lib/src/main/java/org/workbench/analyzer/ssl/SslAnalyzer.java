package org.workbench.analyzer.ssl;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.workbench.files.x509.X509Certificate;
import org.workbench.files.x509.X509Log;
import org.workbench.files.x509.X509Parser;
import org.workbench.flow.ConnId;
import org.workbench.flow.ConnectionContext;
import org.workbench.flow.DatagramAnalyzer;
import org.workbench.flow.StreamAnalyzer;
import org.workbench.zeeklog.LogRecord;
import org.workbench.zeeklog.LogSink;

/**
 * The SSL/TLS analyzer of one TCP connection, after Zeek's SSL analyzer and {@code base/protocols/ssl} scripts:
 * the record layer is parsed over each direction's reassembled stream (records split across segments, several
 * handshake messages per record and handshake messages split across records), SSLv2 records included; the
 * handshake fills one ssl.log row, written when Zeek writes it: as soon as the connection is established (the
 * first encrypted record after both sides switched to encryption; the analyzer then stops, as Zeek detaches it),
 * after a protocol violation, or when the connection ends. Certificates become x509.log rows and fill
 * {@code cert_chain_fps}/{@code client_cert_chain_fps}.
 *
 * <p>Memory is bounded: one record (at most 5 + 65535 bytes) and one handshake message (at most
 * {@link #MAX_HANDSHAKE_MESSAGE} bytes) buffered per direction.
 */
final class SslAnalyzer implements StreamAnalyzer, DatagramAnalyzer {
    /** Largest handshake message buffered; a larger one is a protocol violation. */
    static final int MAX_HANDSHAKE_MESSAGE = 4 << 20;
    /** Zeek's {@code SSL::max_ssl_history_length}. */
    static final int MAX_HISTORY = 100;
    /** Zeek's {@code SSL::max_alerts_per_record}. */
    static final int MAX_ALERTS_PER_RECORD = 10;

    static final int SSLV20 = 0x0002;
    static final int SSLV30 = 0x0300;
    static final int TLSV10 = 0x0301;
    static final int TLSV11 = 0x0302;
    static final int TLSV12 = 0x0303;
    static final int TLSV13 = 0x0304;
    private static final int UNKNOWN_VERSION = 0;

    private static final byte[] HRR_RANDOM = HexFormat.of().parseHex(
            "CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C");

    private final ConnectionContext conn;
    private final LogSink sink;
    private final X509Log x509;

    private final Buffer[] records = {new Buffer(), new Buffer()};
    private final Buffer[] handshakes = {new Buffer(), new Buffer()};

    // record layer state (Zeek's SSL_Conn)
    private boolean skip;
    private boolean detached;
    private int recordLayerVersion = UNKNOWN_VERSION;
    private boolean clientEncrypted;
    private boolean serverEncrypted;
    private boolean establishedFlag;

    // handshake state (Zeek's Handshake_Conn)
    private int chosenVersion = UNKNOWN_VERSION;
    private int chosenCipher = -1;
    private boolean flipped;
    private boolean alertedDirection;

    // script state (SSL::Info)
    private Info info;

    SslAnalyzer(ConnectionContext conn, LogSink sink, X509Log x509) {
        this.conn = conn;
        this.sink = sink;
        this.x509 = x509;
    }

    /** A growable byte buffer with a consumed prefix. */
    private static final class Buffer {
        byte[] b = new byte[0];
        int len;

        void append(byte[] d, int off, int n) {
            if (len + n > b.length) {
                byte[] nb = new byte[Math.max(len + n, Math.min(Math.max(b.length * 2, 1024), len + n + 65536))];
                System.arraycopy(b, 0, nb, 0, len);
                b = nb;
            }
            System.arraycopy(d, off, b, len, n);
            len += n;
        }

        void consume(int n) {
            System.arraycopy(b, n, b, 0, len - n);
            len -= n;
            if (len == 0 && b.length > 65536) {
                b = new byte[0];
            }
        }

        void clear() {
            len = 0;
            b = new byte[0];
        }
    }

    /** The ssl.log row being built (Zeek's {@code SSL::Info}). */
    private static final class Info {
        double ts;
        Integer versionNum;
        String version;
        String cipher;
        String curve;
        String serverName;
        String sessionId;
        boolean resumed;
        boolean clientTicketEmptySessionSeen;
        boolean clientKeyExchangeSeen;
        boolean clientPskSeen;
        String lastAlert;
        String nextProtocol;
        boolean established;
        boolean logged;
        boolean hrrSeen;
        final StringBuilder history = new StringBuilder();
        boolean chainSeen;
        final List<String> certFps = new ArrayList<>();
        final List<String> clientCertFps = new ArrayList<>();
        X509Certificate hostCert;
        boolean hostCertSeen;
    }

    // ------------------------------------------------------------------ StreamAnalyzer

    @Override
    public void deliver(boolean isOrig, double ts, byte[] data, int offset, int length) {
        if (skip || detached || length <= 0) {
            return;
        }
        Buffer buf = records[isOrig ? 0 : 1];
        buf.append(data, offset, length);
        try {
            parseRecords(isOrig, ts, buf);
        } catch (RuntimeException e) {
            violation(ts, "Binpac exception: " + e);
        }
    }

    @Override
    public void gap(boolean isOrig, double ts, long length) {
        // Zeek's SSL analyzer stops delivering data to its parser after a content gap on either side
        skip = true;
        records[0].clear();
        records[1].clear();
        handshakes[0].clear();
        handshakes[1].clear();
    }

    @Override
    public void endOfData(boolean isOrig, double ts) {
        // nothing: incomplete records at the end are dropped
    }

    @Override
    public void connectionDone(double ts) {
        if (info != null && !info.logged) {
            writeLog();
        }
        records[0].clear();
        records[1].clear();
        handshakes[0].clear();
        handshakes[1].clear();
    }

    // ------------------------------------------------------------------ DTLS

    /** Zeek's {@code SSL::dtls_max_version_errors}. */
    static final int DTLS_MAX_VERSION_ERRORS = 10;
    static final int MAX_DTLS_HANDSHAKE = 1 << 20;
    private boolean dtls;
    /** Zeek's {@code SSL::dtls_max_reported_version_errors}. */
    static final int DTLS_MAX_REPORTED_VERSION_ERRORS = 1;
    private int invalidVersionCount;
    private int reportedErrors;
    private boolean confirmed;
    private final DtlsReassembly[] dtlsFragments = {new DtlsReassembly(), new DtlsReassembly()};

    /** A DTLS handshake message being put together from fragments. */
    private static final class DtlsReassembly {
        int messageSeq = -1;
        int length = -1;
        byte[] buf;
        boolean[] have;
        int filled;
    }

    /** Makes this analyzer parse DTLS datagrams instead of a TLS stream. */
    SslAnalyzer dtls() {
        this.dtls = true;
        return this;
    }

    @Override
    public void datagram(boolean isOrig, double ts, byte[] data, int offset, int length) {
        if (skip || detached) {
            return;
        }
        try {
            int p = offset;
            int end = offset + length;
            while (!skip && !detached && p + 13 <= end) {
                int ct = data[p] & 0xff;
                int version = ((data[p + 1] & 0xff) << 8) | (data[p + 2] & 0xff);
                int epoch = ((data[p + 3] & 0xff) << 8) | (data[p + 4] & 0xff);
                int len = ((data[p + 11] & 0xff) << 8) | (data[p + 12] & 0xff);
                if (version != 0xFEFF && version != 0xFEFD) {
                    invalidVersionCount++;
                    if (confirmed && ++reportedErrors <= DTLS_MAX_REPORTED_VERSION_ERRORS) {
                        conn.protocolViolation("ssl",
                                "Invalid version in DTLS connection. Packet reported version: " + version);
                    }
                    if (invalidVersionCount > DTLS_MAX_VERSION_ERRORS) {
                        skip = true;
                    }
                    return;
                }
                if (confirmed) {
                    invalidVersionCount = 0;
                }
                int bodyLen = Math.min(len, end - p - 13);
                byte[] body = slice(data, p + 13, bodyLen);
                p += 13 + bodyLen;
                record(isOrig, ts, 0, ct, 0, 0, body, epoch != 0);
            }
        } catch (RuntimeException e) {
            violation(ts, "Binpac exception: " + e);
        }
    }

    private void dtlsHandshake(boolean isOrig, double ts, byte[] body) {
        if (body.length < 12) {
            violation(ts, "Binpac exception: truncated DTLS handshake");
            return;
        }
        int type = body[0] & 0xff;
        int length = u24(body, 1);
        int messageSeq = u16(body, 4);
        int foff = u24(body, 6);
        int flen = u24(body, 9);
        if (foff == 0 && length == flen) {
            handshakeOne(isOrig, ts, type, slice(body, 12, Math.min(length, body.length - 12)));
            return;
        }
        if (length > MAX_DTLS_HANDSHAKE) {
            violation(ts, "DTLS record length " + length + " larger than allowed maximum.");
            return;
        }
        if (body.length - 12 != flen) {
            violation(ts, "DTLS handshake record length does not match packet length");
            return;
        }
        if (foff + flen > length) {
            violation(ts, "DTLS handshake fragment trying to write past end of buffer");
            return;
        }
        DtlsReassembly r = dtlsFragments[isOrig ? 0 : 1];
        if (r.messageSeq != messageSeq || r.length != length || r.buf == null) {
            r.messageSeq = messageSeq;
            r.length = length;
            r.buf = new byte[length];
            r.have = new boolean[length];
            r.filled = 0;
        }
        for (int i = 0; i < flen; i++) {
            if (!r.have[foff + i]) {
                r.have[foff + i] = true;
                r.filled++;
            }
        }
        System.arraycopy(body, 12, r.buf, foff, flen);
        if (r.filled == length) {
            byte[] msg = r.buf;
            r.buf = null;
            r.have = null;
            handshakeOne(isOrig, ts, type, msg);
        }
    }

    private void handshakeOne(boolean isOrig, double ts, int type, byte[] msg) {
        try {
            handshakeMessage(isOrig, ts, type, msg);
        } catch (IndexOutOfBoundsException e) {
            violation(ts, "Binpac exception: out_of_bound: " + handshakeName(type));
        }
    }

    // ------------------------------------------------------------------ record layer

    private void parseRecords(boolean isOrig, double ts, Buffer buf) {
        while (!skip && !detached && buf.len >= 5) {
            byte[] b = buf.b;
            int h0 = b[0] & 0xff;
            int h1 = b[1] & 0xff;
            int h2 = b[2] & 0xff;
            int h3 = b[3] & 0xff;
            int h4 = b[4] & 0xff;
            int layer = determineRecordLayer(h0, h1, h2, h3, h4, isOrig, ts);
            if (layer == UNKNOWN_VERSION) {
                buf.clear();
                return;
            }
            int length;
            int contentType;
            int rawVersion;
            if (layer == SSLV20) {
                length = (((h0 & 0x7f) << 8) | h1) - 3;
                contentType = h2 + 300;
                rawVersion = 0;
                if (length < 0) {
                    violation(ts, "SSLv2 record too short");
                    buf.clear();
                    return;
                }
            } else {
                length = (h3 << 8) | h4;
                contentType = h0;
                rawVersion = (h1 << 8) | h2;
            }
            if (buf.len < 5 + length) {
                return;
            }
            byte[] body = new byte[length];
            System.arraycopy(b, 5, body, 0, length);
            buf.consume(5 + length);
            record(isOrig, ts, layer, contentType, rawVersion, h3, h4, body);
        }
    }

    /** Zeek's {@code determine_ssl_record_layer}: the record layer version, or UNKNOWN after a violation. */
    private int determineRecordLayer(int h0, int h1, int h2, int h3, int h4, boolean isOrig, double ts) {
        if (recordLayerVersion != UNKNOWN_VERSION && recordLayerVersion != SSLV20) {
            int version = (h1 << 8) | h2;
            if (version != SSLV30 && version != TLSV10 && version != TLSV11 && version != TLSV12) {
                violation(ts, "Invalid version late in TLS connection. Packet reported version: " + version);
                return UNKNOWN_VERSION;
            }
        }
        if (recordLayerVersion != UNKNOWN_VERSION) {
            return recordLayerVersion;
        }
        if ((h0 & 0x80) != 0) {
            if (h2 == 0x01 && isOrig) {
                int version = (h3 << 8) | h4;
                if (version != SSLV20 && version != SSLV30 && version != TLSV10 && version != TLSV11
                        && version != TLSV12) {
                    violation(ts, "Invalid version in SSL client hello. Version: " + version);
                    return UNKNOWN_VERSION;
                }
                return SSLV20;
            } else if (h2 == 0x04 && h4 < 2 && !isOrig) {
                recordLayerVersion = SSLV20;
                return SSLV20;
            }
            violation(ts, "Invalid headers in SSL connection. Head1: " + h1 + ", head2: " + h2 + ", head3: " + h3);
            return UNKNOWN_VERSION;
        }
        int version = (h1 << 8) | h2;
        if (version != SSLV30 && version != TLSV10 && version != TLSV11 && version != TLSV12) {
            violation(ts, "Invalid version in TLS connection. Version: " + version);
            return UNKNOWN_VERSION;
        }
        if (h0 >= 20 && h0 <= 30) {
            recordLayerVersion = version;
            return version;
        }
        violation(ts, "Invalid type in TLS connection. Version: " + version + ", Type: " + h0);
        return UNKNOWN_VERSION;
    }

    private boolean isTls13() {
        return chosenVersion == TLSV13 || chosenVersion / 0xFF == 0x7F;
    }

    private boolean state(boolean isOrig) {
        return isOrig ? clientEncrypted : serverEncrypted;
    }

    private void startEncryption(boolean isOrig) {
        if (isOrig) {
            clientEncrypted = true;
        } else {
            serverEncrypted = true;
        }
    }

    /** Zeek's {@code determine_state}: whether a record is encrypted. */
    private boolean encrypted(boolean isOrig, int contentType) {
        boolean cur = state(isOrig);
        if (cur || contentType != 23) {
            return cur;
        }
        int v = chosenVersion;
        if (v != SSLV20 && v != SSLV30 && v != TLSV10 && v != TLSV11 && v != TLSV12) {
            startEncryption(isOrig);
            return true;
        }
        return false;
    }

    private void record(boolean isOrig, double ts, int layer, int contentType, int rawVersion, int h3, int h4,
                        byte[] body) {
        record(isOrig, ts, layer, contentType, h3, h4, body, encrypted(isOrig, contentType));
    }

    private void record(boolean isOrig, double ts, int layer, int contentType, int h3, int h4, byte[] body,
                        boolean encrypted) {
        if (encrypted) {
            if (clientEncrypted && serverEncrypted && !establishedFlag) {
                establishedFlag = true;
                established(ts);
            }
            return;
        }
        // ssl_plaintext_data
        session(ts);
        if (info.version != null && !info.established && contentType == 23) {
            conn.weird(ts, "ssl_early_application_data", null, "SSL");
        }
        boolean client = isOrig ^ flipped;
        switch (contentType) {
            case 20 -> {
                if (!isTls13()) {
                    startEncryption(isOrig);
                }
                history(ts, client, 'i');
                if (client && info.clientTicketEmptySessionSeen && !info.clientKeyExchangeSeen) {
                    info.resumed = true;
                }
            }
            case 21 -> {
                int len = body.length;
                int max = isTls13() ? 2 : MAX_ALERTS_PER_RECORD * 2;
                if (len > max) {
                    conn.weird(ts, "SSL_excessive_alerts_in_record", Integer.toString(len / 2), "SSL");
                    len = max;
                }
                for (int i = 0; i + 1 < len; i += 2) {
                    alert(ts, client, body[i + 1] & 0xff);
                }
            }
            case 22 -> {
                if (dtls) {
                    dtlsHandshake(isOrig, ts, body);
                } else {
                    handshakeData(isOrig, ts, body);
                }
            }
            case 23 -> {
                // plaintext application data: nothing to log
            }
            case 24 -> history(ts, client, 'b');
            case 300 -> alert(ts, isOrig ^ flipped, (h3 << 8) | h4);
            case 301 -> v2ClientHello(ts, h3, h4, body);
            case 302 -> {
                clientEncrypted = true;
                serverEncrypted = true;
                if (!establishedFlag) {
                    establishedFlag = true;
                    established(ts);
                }
            }
            case 304 -> v2ServerHello(isOrig, ts, body);
            default -> violation(ts, "unknown SSL record type (" + contentType + ") from "
                    + (isOrig ? "originator" : "responder"));
        }
    }

    private void alert(double ts, boolean client, int desc) {
        session(ts);
        history(ts, client, 'l');
        info.lastAlert = SslConstants.alert(desc);
    }

    // ------------------------------------------------------------------ SSLv2

    private void v2ClientHello(double ts, int h3, int h4, byte[] body) {
        if (body.length < 6) {
            violation(ts, "Binpac exception: truncated SSLv2 client hello");
            return;
        }
        int csLen = u16(body, 0);
        int sidLen = u16(body, 2);
        int chalLen = u16(body, 4);
        if (6 + csLen + sidLen + chalLen > body.length) {
            violation(ts, "Binpac exception: truncated SSLv2 client hello");
            return;
        }
        int version = (h3 << 8) | h4;
        byte[] sid = slice(body, 6 + csLen, sidLen);
        clientHelloChecks(ts, version);
        if (skip) {
            return;
        }
        clientHelloEvent(ts, sid, true);
    }

    private void v2ServerHello(boolean isOrig, double ts, byte[] body) {
        if (body.length < 8) {
            violation(ts, "Binpac exception: truncated SSLv2 server hello");
            return;
        }
        int version = u16(body, 0);
        int certLen = u16(body, 2);
        int ciphersLen = u16(body, 4);
        int connIdLen = u16(body, 6);
        if (8 + certLen + ciphersLen + connIdLen > body.length) {
            violation(ts, "Binpac exception: truncated SSLv2 server hello");
            return;
        }
        if (version != SSLV20) {
            violation(ts, "Invalid version in SSL server hello. Version: " + version);
            return;
        }
        int firstCipher = ciphersLen >= 3 ? u24(body, 8 + certLen) : 0;
        session(ts);
        if (info.versionNum == null) {
            info.versionNum = version;
            info.version = SslConstants.version(version);
        }
        info.cipher = SslConstants.cipher(firstCipher);
        history(ts, false, 's');
        List<byte[]> certs = new ArrayList<>();
        certs.add(slice(body, 8, certLen));
        certificates(ts, isOrig ^ flipped, certs);
    }

    // ------------------------------------------------------------------ handshake layer

    private void handshakeData(boolean isOrig, double ts, byte[] body) {
        Buffer hb = handshakes[isOrig ? 0 : 1];
        hb.append(body, 0, body.length);
        while (!skip && !detached && hb.len >= 4) {
            int type = hb.b[0] & 0xff;
            int len = u24(hb.b, 1);
            if (len > MAX_HANDSHAKE_MESSAGE) {
                violation(ts, "Binpac exception: handshake message of " + len + " bytes");
                hb.clear();
                return;
            }
            if (hb.len < 4 + len) {
                return;
            }
            byte[] msg = slice(hb.b, 4, len);
            hb.consume(4 + len);
            try {
                handshakeMessage(isOrig, ts, type, msg);
            } catch (IndexOutOfBoundsException e) {
                violation(ts, "Binpac exception: out_of_bound: " + handshakeName(type));
            }
        }
    }

    private static String handshakeName(int type) {
        return switch (type) {
            case 1 -> "ClientHello";
            case 2 -> "ServerHello";
            case 11 -> "Certificate";
            case 12 -> "ServerKeyExchange";
            default -> "Handshake";
        };
    }

    private void handshakeMessage(boolean isOrig, double ts, int type, byte[] m) {
        switch (type) {
            case 0 -> checkFlipped(ts, false, isOrig);
            case 1 -> clientHello(isOrig, ts, m);
            case 2 -> serverHello(isOrig, ts, m);
            case 11 -> {
                int total = u24(m, 0);
                List<byte[]> certs = new ArrayList<>();
                int p = 3;
                int end = Math.min(m.length, 3 + total);
                while (p < end) {
                    int cl = u24(m, p);
                    certs.add(slice(m, p + 3, cl));
                    p += 3 + cl;
                }
                certificates(ts, isOrig ^ flipped, certs);
            }
            case 12 -> serverKeyExchange(ts, m);
            case 16 -> {
                if (isOrig ^ flipped) {
                    session(ts);
                    info.clientKeyExchangeSeen = true;
                }
            }
            case 3, 4, 13, 14, 15, 20, 21, 22 -> {
                // parsed by Zeek without events that change ssl.log
            }
            default -> {
                violation(ts, "unknown handshake message (" + type + ") from "
                        + (isOrig ? "originator" : "responder"));
                return;
            }
        }
        if (skip || detached) {
            return;
        }
        // ssl_handshake_message
        session(ts);
        boolean client = isOrig ^ flipped;
        if (client && type == 16) {
            info.clientKeyExchangeSeen = true;
        }
        char c = switch (type) {
            case 0 -> 'h';
            case 1 -> 'c';
            case 2 -> {
                if (info.hrrSeen) {
                    info.hrrSeen = false;
                    yield 'j';
                }
                yield 's';
            }
            case 3 -> 'v';
            case 4 -> 't';
            case 5 -> 'e';
            case 6 -> 'j';
            case 8 -> 'o';
            case 11 -> 'x';
            case 12 -> 'k';
            case 13 -> 'r';
            case 14 -> 'n';
            case 15 -> 'y';
            case 16 -> 'g';
            case 20 -> 'f';
            case 21 -> 'w';
            case 22 -> 'u';
            case 23 -> 'a';
            case 24 -> 'p';
            case 254 -> 'm';
            default -> 'z';
        };
        history(ts, client, c);
    }

    private void checkFlipped(double ts, boolean desired, boolean isOrig) {
        if (flipped) {
            if (desired == isOrig) {
                flipped = false;
                session(ts);
                info.history.append('^');
                if (!alertedDirection) {
                    alertedDirection = true;
                    conn.weird(ts, "SSL_unclear_connection_direction", null, "SSL");
                }
            }
        } else if (desired != isOrig) {
            flipped = true;
            session(ts);
            info.history.append('^');
        }
    }

    private static boolean versionOk(int v) {
        if (v >> 8 == 0x7F) {
            return true;
        }
        return switch (v) {
            case SSLV20, SSLV30, TLSV10, TLSV11, TLSV12, TLSV13, 0xFEFF, 0xFEFD, 0xFEFC -> true;
            default -> false;
        };
    }

    private void clientHelloChecks(double ts, int version) {
        if (!versionOk(version)) {
            violation(ts, String.format("unsupported client SSL version 0x%04x", version));
        } else {
            confirmed = true;
            conn.confirmProtocol(dtls ? "dtls" : "ssl");
        }
    }

    private void clientHello(boolean isOrig, double ts, byte[] m) {
        checkFlipped(ts, true, isOrig);
        int version = u16(m, 0);
        int p = 2 + 32;
        int sidLen = m[p] & 0xff;
        byte[] sid = slice(m, p + 1, sidLen);
        p += 1 + sidLen;
        if (version == 0xFEFF || version == 0xFEFD) {
            int cookieLen = m[p] & 0xff;
            p += 1 + cookieLen;
        }
        int csLen = u16(m, p);
        p += 2 + csLen;
        int cmLen = m[p] & 0xff;
        p += 1 + cmLen;
        if (p > m.length) {
            throw new IndexOutOfBoundsException();
        }
        List<int[]> exts = extensions(m, p);
        clientHelloChecks(ts, version);
        if (skip) {
            return;
        }
        boolean client = isOrig ^ flipped;
        for (int[] e : exts) {
            extension(ts, client, m, e[0], e[1], e[2], true);
        }
        clientHelloEvent(ts, sid, false);
    }

    private void clientHelloEvent(double ts, byte[] sid, boolean v2) {
        session(ts);
        if (sid.length > 0 && !allZero32(sid)) {
            info.sessionId = HexFormat.of().formatHex(sid);
            info.clientTicketEmptySessionSeen = false;
        }
        if (v2) {
            history(ts, true, 'c');
        }
    }

    private static boolean allZero32(byte[] b) {
        if (b.length != 32) {
            return false;
        }
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    /** Extensions as {type, offset, length} triples, starting at the 2-byte total length at {@code p}. */
    private static List<int[]> extensions(byte[] m, int p) {
        List<int[]> out = new ArrayList<>();
        if (p + 2 > m.length) {
            return out;
        }
        p += 2;
        while (p + 4 <= m.length) {
            int type = u16(m, p);
            int len = u16(m, p + 2);
            if (p + 4 + len > m.length) {
                throw new IndexOutOfBoundsException();
            }
            out.add(new int[]{type, p + 4, len});
            p += 4 + len;
        }
        return out;
    }

    private void serverHello(boolean isOrig, double ts, byte[] m) {
        checkFlipped(ts, false, isOrig);
        int version = u16(m, 0);
        int parsed = (version >> 8) == 0x7F ? 0x7F00 : version;
        byte[] random = slice(m, 2, 32);
        int p = 34;
        byte[] sid;
        int cipher;
        if (parsed == TLSV13 || parsed == 0x7F00) {
            sid = new byte[0];
            cipher = u16(m, p);
            p += 2;
        } else {
            int sidLen = m[p] & 0xff;
            sid = slice(m, p + 1, sidLen);
            p += 1 + sidLen;
            cipher = u16(m, p);
            p += 3;
            if (p > m.length) {
                throw new IndexOutOfBoundsException();
            }
        }
        List<int[]> exts = extensions(m, p);
        boolean client = isOrig ^ flipped;
        // supported_versions is seen before the outer version: the first version set sticks
        for (int[] e : exts) {
            if (e[0] == 43 && e[2] == 2) {
                setVersion(u16(m, e[1]));
            }
        }
        setVersion(version);
        chosenCipher = cipher;
        if (!versionOk(version)) {
            violation(ts, String.format("unsupported server SSL version 0x%04x", version));
            return;
        }
        for (int[] e : exts) {
            extension(ts, client, m, e[0], e[1], e[2], false);
        }
        // ssl_server_hello
        session(ts);
        if (info.versionNum == null) {
            info.versionNum = version;
            info.version = SslConstants.version(version);
        }
        info.cipher = SslConstants.cipher(cipher);
        if (java.util.Arrays.equals(random, HRR_RANDOM)) {
            info.hrrSeen = true;
        }
        if (info.sessionId != null && info.sessionId.equals(HexFormat.of().formatHex(sid))
                && info.versionNum / 0xFF != 0x7F && info.versionNum != TLSV13) {
            info.resumed = true;
        }
    }

    private void setVersion(int v) {
        if (chosenVersion == UNKNOWN_VERSION) {
            chosenVersion = v;
        }
    }

    private void extension(double ts, boolean client, byte[] m, int type, int off, int len, boolean inClientHello) {
        session(ts);
        // generic ssl_extension handling of main.zeek
        if (client && type == 35 && len > 0) {
            info.clientTicketEmptySessionSeen = true;
        } else if (client && type == 41) {
            info.clientPskSeen = true;
        } else if (!client && type == 41 && info.clientPskSeen) {
            info.resumed = true;
        }
        try {
            switch (type) {
                case 0 -> {
                    if (len == 0) {
                        return;
                    }
                    int listLen = u16(m, off);
                    int p = off + 2;
                    int end = Math.min(off + 2 + listLen, off + len);
                    List<String> names = new ArrayList<>();
                    while (p + 3 <= end) {
                        int nt = m[p] & 0xff;
                        int nl = u16(m, p + 1);
                        if (nt != 0) {
                            conn.weird(ts, "ssl_ext_unknown_server_name_type", Integer.toString(nt), "SSL");
                        } else {
                            names.add(new String(m, p + 3, Math.min(nl, end - p - 3), StandardCharsets.ISO_8859_1));
                        }
                        p += 3 + nl;
                    }
                    if (client && !names.isEmpty()) {
                        info.serverName = names.get(0);
                        if (names.size() > 1) {
                            conn.weird(ts, "SSL_many_server_names", describeVector(names), "SSL");
                        }
                    }
                }
                case 16 -> {
                    if (client || len < 2) {
                        return;
                    }
                    int p = off + 2;
                    int end = off + len;
                    if (p < end) {
                        int pl = m[p] & 0xff;
                        if (p + 1 + pl <= end) {
                            info.nextProtocol = new String(m, p + 1, pl, StandardCharsets.ISO_8859_1);
                        }
                    }
                }
                case 43 -> {
                    if (!client && len == 2) {
                        int v = u16(m, off);
                        info.versionNum = v;
                        info.version = SslConstants.version(v);
                    }
                }
                case 40, 51 -> {
                    if (!client && !inClientHello && len >= 2) {
                        info.curve = SslConstants.curve(u16(m, off));
                    }
                }
                default -> {
                }
            }
        } catch (IndexOutOfBoundsException e) {
            // a malformed extension: Zeek's parser would fail on it; keep what was understood
        }
    }

    private static String describeVector(List<String> v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(v.get(i));
        }
        return sb.append(']').toString();
    }

    private void serverKeyExchange(double ts, byte[] m) {
        String name = chosenCipher < 0 ? "" : SslConstants.cipher(chosenCipher);
        if (name.startsWith("TLS_ECDHE_") || name.startsWith("TLS_ECDH_ANON_")) {
            if (m.length >= 3 && (m[0] & 0xff) == 3) {
                session(ts);
                info.curve = SslConstants.curve(u16(m, 1));
            }
        }
    }

    // ------------------------------------------------------------------ certificates

    private void certificates(double ts, boolean client, List<byte[]> certs) {
        if (certs.isEmpty()) {
            return;
        }
        session(ts);
        for (int i = 0; i < certs.size(); i++) {
            byte[] der = certs.get(i);
            if (der.length == 0) {
                conn.weird(ts, "zero_length_certificate", null, "SSL");
                continue;
            }
            boolean host = i == 0;
            info.chainSeen = true;
            // Zeek compares the server name with the first certificate of the server's chain only
            boolean firstServerCert = !client && !info.hostCertSeen;
            if (!client) {
                info.hostCertSeen = true;
            }
            X509Certificate cert = X509Parser.parse(der, (name, addl) -> conn.weird(ts, name, addl, "X509"));
            if (cert == null) {
                continue;
            }
            x509.log(ts, cert, host, client);
            if (client) {
                info.clientCertFps.add(cert.fingerprint());
            } else {
                info.certFps.add(cert.fingerprint());
                if (firstServerCert) {
                    info.hostCert = cert;
                }
            }
        }
    }

    // ------------------------------------------------------------------ log

    private void session(double ts) {
        if (info == null) {
            info = new Info();
            info.ts = ts;
        }
    }

    private void history(double ts, boolean client, char c) {
        session(ts);
        if (info.history.length() >= MAX_HISTORY) {
            return;
        }
        info.history.append(client ? Character.toUpperCase(c) : Character.toLowerCase(c));
        if (info.history.length() == MAX_HISTORY) {
            conn.weird(ts, "SSL_max_ssl_history_length_reached", Integer.toString(MAX_HISTORY), "SSL");
        }
    }

    private void established(double ts) {
        session(ts);
        info.established = true;
        writeLog();
        // Zeek detaches the analyzer once the connection is established (SSL::disable_analyzer_after_detection)
        detached = true;
        records[0].clear();
        records[1].clear();
        handshakes[0].clear();
        handshakes[1].clear();
    }

    private void violation(double ts, String reason) {
        conn.protocolViolation(dtls ? "dtls" : "ssl", reason);
        skip = true;
        if (info != null && !info.logged) {
            writeLog();
        }
    }

    private void writeLog() {
        if (info.logged) {
            return;
        }
        info.logged = true;
        ConnId id = conn.id();
        LogRecord r = new LogRecord(SslLog.SCHEMA);
        r.set("ts", info.ts);
        r.set("uid", conn.uid());
        r.set("id.orig_h", id.origH());
        r.set("id.orig_p", id.origP());
        r.set("id.resp_h", id.respH());
        r.set("id.resp_p", id.respP());
        r.set("version", info.version);
        r.set("cipher", info.cipher);
        r.set("curve", info.curve);
        r.set("server_name", info.serverName);
        r.set("resumed", info.resumed);
        r.set("last_alert", info.lastAlert);
        r.set("next_protocol", info.nextProtocol);
        r.set("established", info.established);
        r.set("ssl_history", info.history.toString());
        if (info.chainSeen) {
            r.set("cert_chain_fps", List.copyOf(info.certFps));
            r.set("client_cert_chain_fps", List.copyOf(info.clientCertFps));
        }
        if (info.hostCert != null && info.serverName != null) {
            r.set("sni_matches_cert", matchesHost(info.hostCert, info.serverName));
        }
        sink.write(r);
    }

    /** Zeek's {@code x509_check_cert_hostname} != "": SAN DNS names when a SAN exists, else the last CN. */
    static boolean matchesHost(X509Certificate c, String host) {
        if (c.hasSan()) {
            if (c.sanDns() != null) {
                for (String n : c.sanDns()) {
                    if (checkHostname(host, n)) {
                        return true;
                    }
                }
            }
            return false;
        }
        return c.commonName() != null && checkHostname(host, c.commonName());
    }

    /** RFC 6125 style matching as Zeek does it (wildcard only as the whole-left-label suffix, 3+ labels). */
    static boolean checkHostname(String host, String cert) {
        if (host.equals(cert)) {
            return true;
        }
        int wild = cert.indexOf('*');
        if (wild < 0) {
            return false;
        }
        int first = cert.indexOf('.');
        if (first < 0 || cert.indexOf('.', first + 1) < 0) {
            return false;
        }
        if (wild + 1 != first) {
            return false;
        }
        int hostFirst = host.indexOf('.');
        if (hostFirst < 0) {
            return false;
        }
        if (!host.substring(hostFirst).equals(cert.substring(first))) {
            return false;
        }
        return wild == 0 || (host.length() >= wild && host.substring(0, wild).equals(cert.substring(0, wild)));
    }

    // ------------------------------------------------------------------ bytes

    private static int u16(byte[] b, int p) {
        return ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
    }

    private static int u24(byte[] b, int p) {
        return ((b[p] & 0xff) << 16) | ((b[p + 1] & 0xff) << 8) | (b[p + 2] & 0xff);
    }

    private static byte[] slice(byte[] b, int off, int len) {
        if (off < 0 || len < 0 || off + len > b.length) {
            throw new IndexOutOfBoundsException("slice " + off + "+" + len + " of " + b.length);
        }
        byte[] out = new byte[len];
        System.arraycopy(b, off, out, 0, len);
        return out;
    }
}
