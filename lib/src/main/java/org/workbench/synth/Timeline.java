package org.workbench.synth;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.workbench.capture.PcapWriter;

/**
 * An ordered list of timestamped frames with a clock, for building synthetic captures deterministically.
 * Each {@link #add} stamps the frame with the current clock and then advances it by the default step.
 */
public final class Timeline {
    /**
     * One frame and its capture time.
     *
     * @param timestampNanos nanoseconds since the Unix epoch
     * @param bytes          the frame, link header included
     */
    public record Frame(long timestampNanos, byte[] bytes) {
    }

    private final List<Frame> frames = new ArrayList<>();
    private long now;
    private long stepNanos;

    /**
     * @param startNanos time of the first frame, nanoseconds since the Unix epoch
     * @param stepMicros default gap between consecutive frames, microseconds
     */
    public Timeline(long startNanos, long stepMicros) {
        this.now = startNanos;
        this.stepNanos = stepMicros * 1000L;
    }

    /** The current clock, nanoseconds since the epoch. */
    public long now() {
        return now;
    }

    /** Moves the clock forward. @param micros microseconds (not negative) */
    public Timeline advance(long micros) {
        if (micros < 0) {
            throw new IllegalArgumentException("time does not go backwards: " + micros);
        }
        now += micros * 1000L;
        return this;
    }

    /** Changes the default gap between frames. @param micros microseconds */
    public Timeline step(long micros) {
        this.stepNanos = micros * 1000L;
        return this;
    }

    /** Appends a frame at the current clock and advances the clock by the default step. */
    public Timeline add(byte[] frame) {
        frames.add(new Frame(now, frame));
        now += stepNanos;
        return this;
    }

    /** The frames so far, in order (unmodifiable view). */
    public List<Frame> frames() {
        return Collections.unmodifiableList(frames);
    }

    /**
     * Writes the frames to a microsecond pcap file.
     *
     * @param out      the file to create or replace
     * @param linkType the frames' link type (1 for the Ethernet frames made by {@link PacketFrames})
     * @throws IOException if writing fails
     */
    public void writePcap(Path out, int linkType) throws IOException {
        try (PcapWriter w = PcapWriter.create(out, linkType)) {
            writeTo(w);
        }
    }

    /** Writes the frames to an open writer. @throws IOException if writing fails */
    public void writeTo(PcapWriter w) throws IOException {
        for (Frame f : frames) {
            w.write(f.timestampNanos(), f.bytes());
        }
    }
}
