/**
 * SSL/TLS and DTLS analysis in the manner of Zeek's SSL and DTLS analyzers with its {@code base/protocols/ssl}
 * scripts: {@link org.workbench.analyzer.ssl.SslAnalyzerFactory} attaches an analyzer per connection (Zeek's SSL
 * ports or its DPD signatures), which writes one ssl.log row ({@link org.workbench.analyzer.ssl.SslLog}) per
 * connection and hands certificates to {@link org.workbench.files.x509.X509Log}. Zeek's names for ciphers,
 * curves, alerts and versions come from {@link org.workbench.analyzer.ssl.SslConstants}.
 */
package org.workbench.analyzer.ssl;
