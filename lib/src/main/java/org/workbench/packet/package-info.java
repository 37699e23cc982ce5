/**
 * Packet decoding: {@link org.workbench.packet.PacketDecoder} turns a
 * {@link org.workbench.capture.RawPacket} into a {@link org.workbench.packet.DecodedPacket} (link, IP and
 * transport layers, fragment reassembly, checksum verdicts) and reports malformed traffic as Zeek weirds.
 */
package org.workbench.packet;
