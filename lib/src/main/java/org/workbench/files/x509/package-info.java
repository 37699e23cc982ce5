/**
 * X.509 certificates as Zeek's X509 file analyzer reports them: {@link org.workbench.files.x509.X509Parser} reads
 * DER with its own small ASN.1 reader and renders names as OpenSSL's RFC 2253 printing does
 * ({@link org.workbench.files.x509.X509Names}); {@link org.workbench.files.x509.X509Log} writes x509.log with
 * Zeek's log caching.
 */
package org.workbench.files.x509;
