package org.workbench.capture;

import java.io.IOException;

/**
 * The input is not a capture this project can read, or its structure is broken beyond recovery. The message
 * is one line naming the input (file path or display name) and the problem, for example
 * {@code "trace.pcap: not a capture file (magic 0x3c68746d)"}.
 *
 * <p>A packet record cut short at the very end of the input is not reported this way: the reader stops and
 * reports the anomaly {@link CaptureReader#TRUNCATED_CAPTURE_RECORD} instead; nor is a structurally impossible
 * record header after a valid file header: reading ends there with the anomaly
 * {@link CaptureReader#CORRUPT_CAPTURE_RECORD}.
 */
public class CaptureFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message one line: the input's name, a colon and the problem */
    public CaptureFormatException(String message) {
        super(message);
    }
}
