package org.workbench.flow;

import org.workbench.zeeklog.LogSchema;

/**
 * The tunnel.log stream as Zeek 9 writes it with its default scripts ({@code Tunnel::Info} of
 * {@code base/frameworks/tunnels}): one row when a tunnel is first used by a new connection
 * ({@code Tunnel::DISCOVER}), one when the tunnel's own connection ends ({@code Tunnel::CLOSE}) and one when no
 * new connection used it for {@code Tunnel::expiration_interval} ({@code Tunnel::EXPIRE}).
 *
 * <p>{@code uid} is the outer connection's uid for UDP tunnels (VXLAN, Geneve, GTPv1, Teredo, AYIYA) and the
 * tunnel's own uid (as in conn.log {@code tunnel_parents}) for IP-in-IP and GRE; {@code id} is the outer
 * connection's 4-tuple, with ports 0 for IP-in-IP and GRE. Written by {@link ConnectionTracker}.
 */
public final class TunnelLog {
    /** Field names and types exactly as on the {@code #fields} and {@code #types} lines of Zeek 9's tunnel.log. */
    public static final LogSchema SCHEMA = LogSchema.builder("tunnel")
            .field("ts", "time")
            .field("uid", "string")
            .field("id.orig_h", "addr")
            .field("id.orig_p", "port")
            .field("id.resp_h", "addr")
            .field("id.resp_p", "port")
            .field("tunnel_type", "enum")
            .field("action", "enum")
            .build();

    /** Zeek's {@code Tunnel::Action} values as logged. */
    public static final String DISCOVER = "Tunnel::DISCOVER", CLOSE = "Tunnel::CLOSE", EXPIRE = "Tunnel::EXPIRE";

    /** {@code Tunnel::expiration_interval}: a tunnel no new connection used for this long expires (seconds). */
    public static final double EXPIRATION_INTERVAL = 3600.0;

    private TunnelLog() {
    }
}
