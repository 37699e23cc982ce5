package org.workbench.files.x509;

import java.util.Map;

/**
 * Names of the object identifiers that appear in certificates, as OpenSSL names them (its object table): short
 * names for distinguished-name attributes (as {@code X509_NAME_print_ex} with {@code XN_FLAG_RFC2253} prints
 * them), long names for algorithms (as {@code i2t_ASN1_OBJECT} prints them), and OpenSSL's group names and key
 * sizes for named elliptic curves.
 */
final class Oids {
    private Oids() {
    }

    /** Attribute types of names: OpenSSL short names. */
    static final Map<String, String> ATTRIBUTE_SHORT = Map.ofEntries(
            Map.entry("2.5.4.3", "CN"), Map.entry("2.5.4.4", "SN"), Map.entry("2.5.4.5", "serialNumber"),
            Map.entry("2.5.4.6", "C"), Map.entry("2.5.4.7", "L"), Map.entry("2.5.4.8", "ST"),
            Map.entry("2.5.4.9", "street"), Map.entry("2.5.4.10", "O"), Map.entry("2.5.4.11", "OU"),
            Map.entry("2.5.4.12", "title"), Map.entry("2.5.4.13", "description"),
            Map.entry("2.5.4.14", "searchGuide"), Map.entry("2.5.4.15", "businessCategory"),
            Map.entry("2.5.4.16", "postalAddress"), Map.entry("2.5.4.17", "postalCode"),
            Map.entry("2.5.4.18", "postOfficeBox"), Map.entry("2.5.4.19", "physicalDeliveryOfficeName"),
            Map.entry("2.5.4.20", "telephoneNumber"), Map.entry("2.5.4.23", "facsimileTelephoneNumber"),
            Map.entry("2.5.4.41", "name"), Map.entry("2.5.4.42", "GN"), Map.entry("2.5.4.43", "initials"),
            Map.entry("2.5.4.44", "generationQualifier"), Map.entry("2.5.4.45", "x500UniqueIdentifier"),
            Map.entry("2.5.4.46", "dnQualifier"), Map.entry("2.5.4.65", "pseudonym"),
            Map.entry("2.5.4.72", "role"), Map.entry("2.5.4.97", "organizationIdentifier"),
            Map.entry("1.2.840.113549.1.9.1", "emailAddress"),
            Map.entry("1.2.840.113549.1.9.2", "unstructuredName"),
            Map.entry("1.2.840.113549.1.9.8", "unstructuredAddress"),
            Map.entry("0.9.2342.19200300.100.1.1", "UID"), Map.entry("0.9.2342.19200300.100.1.3", "mail"),
            Map.entry("0.9.2342.19200300.100.1.25", "DC"),
            Map.entry("1.3.6.1.4.1.311.60.2.1.1", "jurisdictionL"),
            Map.entry("1.3.6.1.4.1.311.60.2.1.2", "jurisdictionST"),
            Map.entry("1.3.6.1.4.1.311.60.2.1.3", "jurisdictionC"));

    /** Algorithms: OpenSSL long names. */
    static final Map<String, String> ALGORITHM_LONG = Map.ofEntries(
            Map.entry("1.2.840.113549.1.1.1", "rsaEncryption"),
            Map.entry("1.2.840.113549.1.1.2", "md2WithRSAEncryption"),
            Map.entry("1.2.840.113549.1.1.3", "md4WithRSAEncryption"),
            Map.entry("1.2.840.113549.1.1.4", "md5WithRSAEncryption"),
            Map.entry("1.2.840.113549.1.1.5", "sha1WithRSAEncryption"),
            Map.entry("1.2.840.113549.1.1.7", "rsaesOaep"),
            Map.entry("1.2.840.113549.1.1.10", "rsassaPss"),
            Map.entry("1.2.840.113549.1.1.11", "sha256WithRSAEncryption"),
            Map.entry("1.2.840.113549.1.1.12", "sha384WithRSAEncryption"),
            Map.entry("1.2.840.113549.1.1.13", "sha512WithRSAEncryption"),
            Map.entry("1.2.840.113549.1.1.14", "sha224WithRSAEncryption"),
            Map.entry("1.2.840.113549.1.1.15", "sha512-224WithRSAEncryption"),
            Map.entry("1.2.840.113549.1.1.16", "sha512-256WithRSAEncryption"),
            Map.entry("1.2.840.113549.1.3.1", "dhKeyAgreement"),
            Map.entry("1.3.14.3.2.3", "md5WithRSA"),
            Map.entry("1.3.14.3.2.13", "dsaWithSHA"),
            Map.entry("1.3.14.3.2.15", "shaWithRSAEncryption"),
            Map.entry("1.3.14.3.2.27", "dsaWithSHA1-old"),
            Map.entry("1.3.14.3.2.29", "sha1WithRSA"),
            Map.entry("1.3.14.3.2.12", "dsaEncryption-old"),
            Map.entry("2.5.8.1.1", "rsa"),
            Map.entry("1.2.840.10040.4.1", "dsaEncryption"),
            Map.entry("1.2.840.10040.4.3", "dsaWithSHA1"),
            Map.entry("2.16.840.1.101.3.4.3.1", "dsa_with_SHA224"),
            Map.entry("2.16.840.1.101.3.4.3.2", "dsa_with_SHA256"),
            Map.entry("1.2.840.10045.2.1", "id-ecPublicKey"),
            Map.entry("1.2.840.10045.4.1", "ecdsa-with-SHA1"),
            Map.entry("1.2.840.10045.4.3.1", "ecdsa-with-SHA224"),
            Map.entry("1.2.840.10045.4.3.2", "ecdsa-with-SHA256"),
            Map.entry("1.2.840.10045.4.3.3", "ecdsa-with-SHA384"),
            Map.entry("1.2.840.10045.4.3.4", "ecdsa-with-SHA512"),
            Map.entry("1.3.101.110", "X25519"), Map.entry("1.3.101.111", "X448"),
            Map.entry("1.3.101.112", "ED25519"), Map.entry("1.3.101.113", "ED448"),
            Map.entry("2.16.840.1.101.3.4.3.17", "ML-DSA-44"),
            Map.entry("2.16.840.1.101.3.4.3.18", "ML-DSA-65"),
            Map.entry("2.16.840.1.101.3.4.3.19", "ML-DSA-87"),
            Map.entry("1.2.643.2.2.3", "GOST R 34.11-94 with GOST R 34.10-2001"),
            Map.entry("1.2.643.2.2.19", "GOST R 34.10-2001"));

    /** A named curve: OpenSSL's group name and the bit size of its order (OpenSSL's key length for EC keys). */
    record Curve(String name, int bits) {
    }

    static final Map<String, Curve> CURVES = Map.ofEntries(
            Map.entry("1.2.840.10045.3.1.1", new Curve("prime192v1", 192)),
            Map.entry("1.2.840.10045.3.1.7", new Curve("prime256v1", 256)),
            Map.entry("1.3.132.0.33", new Curve("secp224r1", 224)),
            Map.entry("1.3.132.0.34", new Curve("secp384r1", 384)),
            Map.entry("1.3.132.0.35", new Curve("secp521r1", 521)),
            Map.entry("1.3.132.0.10", new Curve("secp256k1", 256)),
            Map.entry("1.3.36.3.3.2.8.1.1.7", new Curve("brainpoolP256r1", 256)),
            Map.entry("1.3.36.3.3.2.8.1.1.11", new Curve("brainpoolP384r1", 384)),
            Map.entry("1.3.36.3.3.2.8.1.1.13", new Curve("brainpoolP512r1", 512)));

    /** An algorithm's long name, or its dotted form when OpenSSL has no name for it. */
    static String algorithmName(String oid) {
        String n = ALGORITHM_LONG.get(oid);
        return n != null ? n : oid;
    }
}
