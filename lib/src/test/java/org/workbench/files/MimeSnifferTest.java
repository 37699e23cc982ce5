package org.workbench.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;

class MimeSnifferTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(int... v) {
        byte[] out = new byte[Math.max(v.length, 64)];
        for (int i = 0; i < v.length; i++) {
            out[i] = (byte) v[i];
        }
        return out;
    }

    private static String sniff(byte[] d) {
        return MimeSniffer.sniff(d);
    }

    private static byte[] zip(String... names) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bos)) {
            for (String n : names) {
                z.putNextEntry(new ZipEntry(n));
                z.write(b("content of " + n));
                z.closeEntry();
            }
        }
        return bos.toByteArray();
    }

    @Test
    void executables() {
        byte[] pe = new byte[512];
        pe[0] = 'M';
        pe[1] = 'Z';
        assertEquals("application/x-dosexec", sniff(pe));
        byte[] elf = bytes(0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0);
        assertEquals("application/x-executable", sniff(elf));
        elf[16] = 3;
        assertEquals("application/x-sharedlib", sniff(elf));
        assertEquals("application/x-mach-o-executable", sniff(bytes(0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1)));
        assertEquals("application/x-mach-o-executable", sniff(bytes(0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2)));
        assertEquals("application/x-java-applet", sniff(bytes(0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 0x32)));
    }

    @Test
    void flashPdfArchives() throws IOException {
        assertEquals("application/x-shockwave-flash", sniff(b("FWS\u0009xxxxxxxx")));
        assertEquals("application/x-shockwave-flash", sniff(b("CWS\nxxxxxxxx")));
        assertEquals("application/x-shockwave-flash", sniff(b("ZWS\rxxxxxxxx")));
        assertEquals("application/pdf", sniff(b("%PDF-1.7\n%\u00e2\u00e3\n1 0 obj")));
        assertEquals("application/zip", sniff(zip("readme.txt", "data.bin")));
        assertEquals("application/java-archive", sniff(zip("META-INF/MANIFEST.MF", "a/B.class")));
        assertEquals("application/java-archive", sniff(zip("META-INF/", "META-INF/MANIFEST.MF", "a/B.class")));
        assertEquals("application/x-gzip", sniff(bytes(0x1f, 0x8b, 8, 0)));
        assertEquals("application/vnd.ms-cab-compressed", sniff(bytes('M', 'S', 'C', 'F', 0, 0, 0, 0)));
        assertEquals("application/x-rar", sniff(b("Rar!\u001a\u0007\u0000")));
        assertEquals("application/x-7z-compressed", sniff(bytes('7', 'z', 0xbc, 0xaf, 0x27, 0x1c)));
        assertEquals("application/msword", sniff(bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)));
        assertEquals("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                sniff(zip("[Content_Types].xml", "_rels/.rels", "word/document.xml")));
    }

    @Test
    void images() {
        assertEquals("image/gif", sniff(b("GIF89a\u0001\u0000\u0001\u0000")));
        assertEquals("image/jpeg", sniff(bytes(0xff, 0xd8, 0xff, 0xe0)));
        assertEquals("image/png", sniff(bytes(0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a)));
        assertEquals("image/x-icon", sniff(bytes(0, 0, 1, 0, 1, 0)));
    }

    @Test
    void textFormats() {
        assertEquals("text/html", sniff(b("<!DOCTYPE html>\n<html><body>x</body></html>")));
        assertEquals("text/html", sniff(b("\n  <!-- c --> <HTML><head></head></HTML>")));
        assertEquals("text/html", sniff(b("<head><title>t</title></head>")));
        assertEquals("text/html", sniff(b("<?xml version=\"1.0\"?>\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML\">")));
        assertEquals("application/xml", sniff(b("<?xml version=\"1.0\"?>\n<root><a/></root>")));
        assertEquals("text/json", sniff(b("{\"key\": \"value\", \"n\": 1}")));
        assertEquals("text/json", sniff(b("[1, 2, 3]")));
        assertEquals("application/javascript", sniff(b("<script type=\"text/javascript\">var a = 1;</script>")));
        assertEquals("application/javascript", sniff(b("document.write(\"<p>hi</p>\");")));
        assertEquals("application/javascript", sniff(b("(function() {\n  var a = 1;\n})();")));
        assertEquals("text/x-shellscript", sniff(b("#!/bin/bash\necho hi\n")));
        assertEquals("text/x-python", sniff(b("#!/usr/bin/env python3\nprint(1)\n")));
        assertEquals("text/x-php", sniff(b("<?php echo 'hi'; ?>")));
        assertEquals("text/plain", sniff(b("just some words in a file\n")));
        assertEquals("text/plain", sniff(b("body { color: red; }\n")));
    }

    @Test
    void fontsAndMedia() {
        assertEquals("application/font-woff", sniff(b("wOFF\u0000\u0001\u0000\u0000")));
        assertEquals("application/font-woff2", sniff(b("wOF2\u0000\u0001\u0000\u0000")));
        assertEquals("application/x-font-ttf", sniff(bytes(0, 1, 0, 0, 0, 0x10)));
        assertEquals("video/mp4", sniff(b("\u0000\u0000\u0000\u0018ftypisom\u0000\u0000")));
        assertEquals("video/x-flv", sniff(b("FLV\u0001\u0005")));
        assertEquals("audio/mpeg", sniff(bytes(0xff, 0xfb, 0x90, 0x44)));
    }

    @Test
    void unknownOrTooShort() {
        assertNull(sniff(new byte[0]));
        assertNull(sniff(b("short")));
        assertNull(sniff(bytes(0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b)));
    }

    @Test
    void onlyTheFirstBufferCounts() {
        byte[] d = new byte[MimeSniffer.BOF_BUFFER_SIZE + 100];
        java.util.Arrays.fill(d, (byte) 1);
        System.arraycopy(b("%PDF-"), 0, d, MimeSniffer.BOF_BUFFER_SIZE + 10, 5);
        assertNull(MimeSniffer.sniff(d, 0, d.length));
        assertEquals("application/pdf", MimeSniffer.sniff(d, MimeSniffer.BOF_BUFFER_SIZE + 10, 90));
    }
}
