/**
 * VirusTotal API v3 access: settings and API-key lookup ({@link org.workbench.vt.VtSettings}), a rate-limited
 * client with bounded retries ({@link org.workbench.vt.VtClient}, {@link org.workbench.vt.RateLimiter}) and the
 * summary of a file report ({@link org.workbench.vt.VtReports}).
 */
package org.workbench.vt;
