package org.workbench.swf;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SWF file header (Adobe SWF File Format Specification v19, chapter 2 "SWF Structure Summary", "The SWF
 * header"): the 8 bytes {@code Signature Version FileLength} followed, in the possibly compressed part, by
 * {@code FrameSize} (a RECT in twips), {@code FrameRate} (8.8 fixed point) and {@code FrameCount}.
 *
 * <p>The frame fields are null when the data ends before them.
 *
 * @param signature  {@code FWS} (uncompressed), {@code CWS} (zlib, SWF 6+) or {@code ZWS} (LZMA, SWF 13+)
 * @param version    the SWF version byte
 * @param fileLength the header's {@code FileLength}: the total length in bytes of the uncompressed file,
 *                   header included (unsigned 32 bit)
 * @param xmin       frame rectangle left edge, twips (1/20 pixel), or null
 * @param xmax       frame rectangle right edge, twips, or null
 * @param ymin       frame rectangle top edge, twips, or null
 * @param ymax       frame rectangle bottom edge, twips, or null
 * @param frameRate  frames per second (the 8.8 fixed-point value as a double), or null
 * @param frameCount number of frames, or null
 */
public record SwfHeader(String signature, int version, long fileLength, Integer xmin, Integer xmax, Integer ymin,
                        Integer ymax, Double frameRate, Integer frameCount) {

    /** @return whether the body after the first 8 bytes is compressed ({@code CWS} or {@code ZWS}) */
    public boolean compressed() {
        return !"FWS".equals(signature);
    }

    /**
     * @return the frame size in pixels (twips / 20) as {@code [xmin: 0 xmax: 550 ymin: 0 ymax: 400]}, or null when
     *         the rectangle is missing
     */
    public String frameSizeText() {
        if (xmin == null) {
            return null;
        }
        return "[xmin: " + pixels(xmin) + " xmax: " + pixels(xmax) + " ymin: " + pixels(ymin) + " ymax: "
                + pixels(ymax) + "]";
    }

    private static String pixels(int twips) {
        return BigDecimal.valueOf(twips).divide(BigDecimal.valueOf(20)).stripTrailingZeros().toPlainString();
    }

    /**
     * @return the header as the {@code swf_meta} worker reports it: {@code signature, compressed, version,
     *         file_length, frame_size_twips {xmin,xmax,ymin,ymax}, frame_size, frame_rate, frame_count} (the frame
     *         keys only when known)
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("signature", signature);
        m.put("compressed", compressed());
        m.put("version", version);
        m.put("file_length", fileLength);
        if (xmin != null) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("xmin", xmin);
            r.put("xmax", xmax);
            r.put("ymin", ymin);
            r.put("ymax", ymax);
            m.put("frame_size_twips", r);
            m.put("frame_size", frameSizeText());
        }
        if (frameRate != null) {
            m.put("frame_rate", frameRate);
        }
        if (frameCount != null) {
            m.put("frame_count", frameCount);
        }
        return m;
    }
}
