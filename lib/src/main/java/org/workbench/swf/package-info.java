/**
 * Our own reader of Adobe Flash (SWF) files, after the Adobe "SWF File Format Specification" version 19: header
 * ({@code FWS}/{@code CWS}/{@code ZWS}), frame size, rate and count, and the ordered tag list with a few tags
 * decoded. Entry point: {@link org.workbench.swf.SwfParser}; the {@code swf_meta} worker
 * ({@link org.workbench.worker.SwfMetaWorker}) reports its result.
 */
package org.workbench.swf;
