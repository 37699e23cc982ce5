package org.workbench.files.x509;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.workbench.zeeklog.LogRecord;
import org.workbench.zeeklog.LogSchema;
import org.workbench.zeeklog.LogSink;

/**
 * x509.log as Zeek 9 writes it with its default scripts, including the log caching of
 * {@code base/files/x509/main.zeek}: a certificate is logged once per (fingerprint, host_cert, client_cert) until
 * {@link #relogAfter} seconds of network time have passed since it was logged (Zeek's
 * {@code X509::relog_known_certificates_after}, default one day; 0 disables the caching), with at most
 * {@link #MAX_KNOWN} remembered certificates ({@code X509::known_log_certs_maximum_size}).
 *
 * <p>Java values: {@code ts}, {@code not_valid_*} Double seconds; {@code certificate.version},
 * {@code key_length}, {@code path_len} Long; {@code san.*} Lists; flags Boolean.
 */
public final class X509Log {
    /** The x509.log schema (path {@code x509}). */
    public static final LogSchema SCHEMA = LogSchema.builder("x509")
            .field("ts", "time")
            .field("fingerprint", "string")
            .field("certificate.version", "count")
            .field("certificate.serial", "string")
            .field("certificate.subject", "string")
            .field("certificate.issuer", "string")
            .field("certificate.not_valid_before", "time")
            .field("certificate.not_valid_after", "time")
            .field("certificate.key_alg", "string")
            .field("certificate.sig_alg", "string")
            .field("certificate.key_type", "string")
            .field("certificate.key_length", "count")
            .field("certificate.exponent", "string")
            .field("certificate.curve", "string")
            .field("san.dns", "vector[string]")
            .field("san.uri", "vector[string]")
            .field("san.email", "vector[string]")
            .field("san.ip", "vector[addr]")
            .field("basic_constraints.ca", "bool")
            .field("basic_constraints.path_len", "count")
            .field("host_cert", "bool")
            .field("client_cert", "bool")
            .build();

    /** Zeek's {@code X509::known_log_certs_maximum_size}. */
    public static final int MAX_KNOWN = 1_000_000;

    private record Key(String fingerprint, boolean hostCert, boolean clientCert) {
    }

    private final LogSink sink;
    private final double relogAfter;
    private final boolean hostCertsOnly;
    /** Cached keys with the network time they were added, oldest first. */
    private final LinkedHashMap<Key, Double> known = new LinkedHashMap<>();

    /** The default: caching for one day, every certificate logged. */
    public X509Log(LogSink sink) {
        this(sink, 86400.0, false);
    }

    /**
     * @param sink          receives x509.log records
     * @param relogAfter    seconds after which a cached certificate is logged again; 0 disables caching
     * @param hostCertsOnly log only host certificates, as {@code policy/protocols/ssl/log-hostcerts-only} does
     */
    public X509Log(LogSink sink, double relogAfter, boolean hostCertsOnly) {
        this.sink = Objects.requireNonNull(sink);
        this.relogAfter = relogAfter;
        this.hostCertsOnly = hostCertsOnly;
    }

    /**
     * Logs a certificate unless the cache says it was logged recently.
     *
     * @param ts         the certificate file's time (files.log {@code ts})
     * @param cert       the parsed certificate
     * @param hostCert   whether it was the first of the server's chain (mime type {@code application/x-x509-user-cert})
     * @param clientCert whether the connection's originator sent it
     * @return whether a record was written
     */
    public boolean log(double ts, X509Certificate cert, boolean hostCert, boolean clientCert) {
        if (hostCertsOnly && !hostCert) {
            return false;
        }
        if (relogAfter > 0) {
            expire(ts);
            Key k = new Key(cert.fingerprint(), hostCert, clientCert);
            if (known.containsKey(k)) {
                return false;
            }
            if (known.size() < MAX_KNOWN) {
                known.put(k, ts);
            }
        }
        sink.write(record(ts, cert, hostCert, clientCert));
        return true;
    }

    private void expire(double now) {
        Iterator<Map.Entry<Key, Double>> it = known.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Key, Double> e = it.next();
            if (now - e.getValue() < relogAfter) {
                break;
            }
            it.remove();
        }
    }

    /** The x509.log record of a certificate. */
    public static LogRecord record(double ts, X509Certificate c, boolean hostCert, boolean clientCert) {
        LogRecord r = new LogRecord(SCHEMA);
        r.set("ts", ts);
        r.set("fingerprint", c.fingerprint());
        r.set("certificate.version", c.version());
        r.set("certificate.serial", c.serial());
        r.set("certificate.subject", c.subject());
        r.set("certificate.issuer", c.issuer());
        r.set("certificate.not_valid_before", c.notValidBefore());
        r.set("certificate.not_valid_after", c.notValidAfter());
        r.set("certificate.key_alg", c.keyAlg());
        r.set("certificate.sig_alg", c.sigAlg());
        r.set("certificate.key_type", c.keyType());
        r.set("certificate.key_length", c.keyLength());
        r.set("certificate.exponent", c.exponent());
        r.set("certificate.curve", c.curve());
        r.set("san.dns", c.sanDns());
        r.set("san.uri", c.sanUri());
        r.set("san.email", c.sanEmail());
        r.set("san.ip", c.sanIp());
        r.set("basic_constraints.ca", c.ca());
        r.set("basic_constraints.path_len", c.pathLen());
        r.set("host_cert", hostCert);
        r.set("client_cert", clientCert);
        return r;
    }

}
