/**
 * Archive members as samples: {@link org.workbench.archive.ZipExtractor} lists ZIP and JAR archives (PKWARE
 * APPNOTE.TXT, JAR File Specification) with Apache Commons Compress, streams each member out with CRC checks and
 * archive-bomb {@link org.workbench.archive.ArchiveLimits}, and reports member names
 * ({@link org.workbench.archive.EntryNames}) without ever using them as paths;
 * {@link org.workbench.archive.MemberTypes} tags members by magic number and extension.
 */
package org.workbench.archive;
