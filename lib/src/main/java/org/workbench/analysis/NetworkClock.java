package org.workbench.analysis;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that reads the capture's time instead of the wall clock: the time of the latest packet an analysis has
 * read (Zeek calls it network time), or the epoch before the first packet. Its own zone is UTC. Give it to
 * {@link ZeekAnalysis.Builder#networkClock(NetworkClock)} and to a log writer's {@code #open}/{@code #close} header
 * clock, and the logs of one capture come out byte-identical on every run. Not thread-safe beyond one analysis.
 */
public final class NetworkClock extends Clock {
    private volatile double seconds;

    /** Moves the clock to a packet's time, seconds since the epoch; never backwards. */
    public void advance(double ts) {
        if (ts > seconds) {
            seconds = ts;
        }
    }

    /** The current network time, seconds since the epoch. */
    public double seconds() {
        return seconds;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** A view of this clock in another zone; it keeps following this clock's network time. */
    @Override
    public Clock withZone(ZoneId zone) {
        NetworkClock self = this;
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return zone;
            }

            @Override
            public Clock withZone(ZoneId other) {
                return self.withZone(other);
            }

            @Override
            public Instant instant() {
                return self.instant();
            }
        };
    }

    @Override
    public Instant instant() {
        double s = seconds;
        long whole = (long) Math.floor(s);
        return Instant.ofEpochSecond(whole, Math.round((s - whole) * 1e9));
    }
}
