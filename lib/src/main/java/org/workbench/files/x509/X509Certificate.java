package org.workbench.files.x509;

import java.net.InetAddress;
import java.util.List;

/**
 * What Zeek's X509 file analyzer extracts from one DER certificate (its {@code X509::Certificate} record plus the
 * subject-alternative-name and basic-constraints extensions), rendered as Zeek logs it.
 *
 * @param fingerprint        SHA-256 of the DER encoding, lower-case hex (Zeek's {@code X509::hash_function})
 * @param version            certificate version (1 to 3)
 * @param serial             serial number as OpenSSL's {@code i2a_ASN1_INTEGER} prints it (upper-case hex)
 * @param subject            subject, RFC 2253 form ({@link X509Names})
 * @param issuer             issuer, RFC 2253 form
 * @param commonName         last CN of the subject, or null
 * @param notValidBefore     seconds since the epoch
 * @param notValidAfter      seconds since the epoch
 * @param keyAlg             public key algorithm, OpenSSL long name (e.g. {@code rsaEncryption})
 * @param sigAlg             signature algorithm, OpenSSL long name (e.g. {@code sha256WithRSAEncryption})
 * @param keyType            {@code rsa}, {@code dsa}, {@code ecdsa}, ... or null
 * @param keyLength          key size in bits, or null
 * @param exponent           RSA public exponent in decimal, or null
 * @param curve              EC group name (e.g. {@code prime256v1}), or null
 * @param sanDns             subject alternative DNS names, or null without any
 * @param sanUri             subject alternative URIs, or null
 * @param sanEmail           subject alternative e-mail addresses, or null
 * @param sanIp              subject alternative IP addresses, or null
 * @param hasSan             whether the certificate has a subject alternative name extension
 * @param ca                 basic constraints' cA flag, or null without the extension
 * @param pathLen            basic constraints' path length, or null
 */
public record X509Certificate(String fingerprint, long version, String serial, String subject, String issuer,
                              String commonName, double notValidBefore, double notValidAfter, String keyAlg,
                              String sigAlg, String keyType, Long keyLength, String exponent, String curve,
                              List<String> sanDns, List<String> sanUri, List<String> sanEmail,
                              List<InetAddress> sanIp, boolean hasSan, Boolean ca, Long pathLen) {
}
