/**
 * Synthetic traffic for tests and demos: packet builders with correct checksums
 * ({@link org.workbench.synth.PacketFrames}), TCP conversations with optional faults
 * ({@link org.workbench.synth.TcpSession}), DNS messages ({@link org.workbench.synth.DnsMessage}), a frame
 * timeline written as pcap ({@link org.workbench.synth.Timeline}) and a complete demo capture
 * ({@link org.workbench.synth.DriveByCapture}).
 */
package org.workbench.synth;
