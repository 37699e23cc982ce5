package org.workbench.kernel;

import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * A picture to show in a notebook: PNG, JPEG or SVG, from a file, from bytes or from a
 * {@code java.awt} image. As a cell's value it becomes an {@code image/png}, {@code image/jpeg}
 * (base64) or {@code image/svg+xml} output, with a one-line description as {@code text/plain}.
 *
 * <p>The format is recognised from the content, not the file name: PNG by its 8-byte signature
 * ({@code 89 50 4E 47 0D 0A 1A 0A}), JPEG by {@code FF D8 FF}, SVG by an {@code <svg} element near the
 * start of UTF-8 text.
 *
 * @param mimeType {@code image/png}, {@code image/jpeg} or {@code image/svg+xml}
 * @param bytes the encoded image (SVG as UTF-8 text)
 * @param name what the text twin calls it (file name or a description)
 */
public record Image(String mimeType, byte[] bytes, String name) {
    /** @throws IllegalArgumentException when the MIME type is not one of the three */
    public Image {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(name, "name");
        if (!MimeBundle.IMAGE_PNG.equals(mimeType) && !MimeBundle.IMAGE_JPEG.equals(mimeType)
                && !MimeBundle.IMAGE_SVG.equals(mimeType)) {
            throw new IllegalArgumentException("image type must be image/png, image/jpeg or image/svg+xml, got "
                    + mimeType);
        }
    }

    /**
     * Reads a PNG, JPEG or SVG file.
     *
     * @param file the file
     * @return the image
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException when it is none of the three formats (names the file)
     */
    public static Image of(Path file) throws IOException {
        return of(Files.readAllBytes(file), file.getFileName().toString());
    }

    /**
     * Wraps encoded PNG, JPEG or SVG bytes, recognising the format.
     *
     * @param bytes the encoded image
     * @param name what the text twin calls it
     * @return the image
     * @throws IllegalArgumentException when the bytes are none of the three formats
     */
    public static Image of(byte[] bytes, String name) {
        String type = detect(bytes);
        if (type == null) {
            throw new IllegalArgumentException("image " + name + " is not PNG, JPEG or SVG (first bytes: "
                    + HexDump.hex(bytes, 0, Math.min(8, bytes.length)) + ")");
        }
        return new Image(type, bytes, name);
    }

    /**
     * Encodes a {@code java.awt} image (e.g. a {@code BufferedImage}) as PNG.
     *
     * @param image the image
     * @return the PNG image
     * @throws IllegalArgumentException when ImageIO cannot write it as PNG
     */
    public static Image of(RenderedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalArgumentException("no PNG writer for image " + image);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Image(MimeBundle.IMAGE_PNG, out.toByteArray(),
                image.getWidth() + "x" + image.getHeight() + " image");
    }

    /**
     * @param svg an SVG document
     * @return the image
     */
    public static Image svg(String svg) {
        return new Image(MimeBundle.IMAGE_SVG, svg.getBytes(StandardCharsets.UTF_8), "SVG image");
    }

    /**
     * @param bytes encoded image data
     * @return {@code image/png}, {@code image/jpeg}, {@code image/svg+xml} or null
     */
    public static String detect(byte[] bytes) {
        if (bytes.length >= 8 && (bytes[0] & 0xff) == 0x89 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G'
                && bytes[4] == 0x0d && bytes[5] == 0x0a && bytes[6] == 0x1a && bytes[7] == 0x0a) {
            return MimeBundle.IMAGE_PNG;
        }
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xd8 && (bytes[2] & 0xff) == 0xff) {
            return MimeBundle.IMAGE_JPEG;
        }
        String head = new String(bytes, 0, Math.min(bytes.length, 4096), StandardCharsets.UTF_8).stripLeading();
        if ((head.startsWith("<") && head.contains("<svg"))) {
            return MimeBundle.IMAGE_SVG;
        }
        return null;
    }

    /** @return the bundle: the image under its MIME type and a description as text */
    public MimeBundle bundle() {
        String text = "<" + name + ": " + mimeType + ", " + bytes.length + " bytes>";
        String content = MimeBundle.IMAGE_SVG.equals(mimeType) ? new String(bytes, StandardCharsets.UTF_8)
                : Base64.getEncoder().encodeToString(bytes);
        return MimeBundle.text(text).with(mimeType, content);
    }

    @Override
    public String toString() {
        return "Image[" + mimeType + ", " + bytes.length + " bytes, " + name + "]";
    }
}
