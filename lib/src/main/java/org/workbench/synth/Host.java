package org.workbench.synth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * A synthetic network endpoint: a MAC address and an IPv4 or IPv6 address.
 *
 * @param mac 6-byte Ethernet address
 * @param ip  the host's address (4 or 16 bytes)
 */
public record Host(byte[] mac, InetAddress ip) {
    public Host {
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(ip, "ip");
        if (mac.length != 6) {
            throw new IllegalArgumentException("a MAC address has 6 bytes, not " + mac.length);
        }
        mac = mac.clone();
    }

    /**
     * @param mac a MAC address written {@code "00:11:22:33:44:55"}
     * @param ip  a literal IPv4 or IPv6 address (no name lookup is done)
     * @return the host
     * @throws IllegalArgumentException if either text is malformed
     */
    public static Host of(String mac, String ip) {
        String[] parts = mac.split(":");
        if (parts.length != 6) {
            throw new IllegalArgumentException("bad MAC address: " + mac);
        }
        byte[] m = new byte[6];
        for (int i = 0; i < 6; i++) {
            m[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        if (!ip.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("not a literal IP address: " + ip);
        }
        try {
            return new Host(m, InetAddress.getByName(ip));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad IP address: " + ip, e);
        }
    }

    /** The IP address bytes (a copy). */
    public byte[] address() {
        return ip.getAddress();
    }

    /** The MAC address bytes (a copy). */
    @Override
    public byte[] mac() {
        return mac.clone();
    }

    /** True for an IPv6 host. */
    public boolean isIpv6() {
        return ip.getAddress().length == 16;
    }
}
