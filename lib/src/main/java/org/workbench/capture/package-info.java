/**
 * Reading and writing capture files: {@link org.workbench.capture.CaptureReader} streams pcap and pcapng
 * records as {@link org.workbench.capture.RawPacket}s through one reusable buffer,
 * {@link org.workbench.capture.PcapWriter} writes classic pcap.
 */
package org.workbench.capture;
