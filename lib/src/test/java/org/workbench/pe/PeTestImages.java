package org.workbench.pe;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds minimal, valid PE images byte by byte (Microsoft PE/COFF specification layout): a 64-byte DOS header
 * with {@code e_lfanew = 0x40}, the {@code PE\0\0} signature, a COFF header, a PE32 or PE32+ optional header with
 * 16 data directories, one {@code .text} section (RVA 0x1000, file offset 0x200) holding a {@code ret} at the
 * entry point and an import directory (descriptors, lookup tables, address tables, hint/name entries, DLL names),
 * and a correct checksum. Imports whose name starts with {@code #} are imported by that ordinal.
 */
public final class PeTestImages {
    /** File offset of the PE signature. */
    public static final int PE_OFFSET = 0x40;
    /** File offset of the COFF header. */
    public static final int COFF_OFFSET = PE_OFFSET + 4;
    /** File offset of the optional header. */
    public static final int OPTIONAL_OFFSET = COFF_OFFSET + 20;
    /** File offset of the section's raw data. */
    public static final int SECTION_DATA = 0x200;
    /** RVA of the section. */
    public static final int SECTION_RVA = 0x1000;
    /** The COFF timestamp the images carry: 2014-02-05T13:37:00Z. */
    public static final int TIMESTAMP = 1391607420;

    private PeTestImages() {
    }

    /** @return offset of the first section header in an image built here */
    public static int sectionHeaderOffset(boolean pe32Plus) {
        return OPTIONAL_OFFSET + (pe32Plus ? 0xF0 : 0xE0);
    }

    /** Two DLLs with a few APIs: kernel32 (CreateRemoteThread, WriteProcessMemory, IsDebuggerPresent), ws2_32. */
    public static Map<String, List<String>> sampleImports() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("KERNEL32.dll", List.of("IsDebuggerPresent", "WriteProcessMemory", "CreateRemoteThread",
                "GetTickCount"));
        m.put("WS2_32.dll", List.of("WSAStartup", "#23"));
        return m;
    }

    /**
     * @param pe32Plus  PE32+ (AMD64, image base 0x180000000) instead of PE32 (i386, image base 0x400000)
     * @param imports   DLL name to function names ({@code #n} for ordinal n), in order
     * @return the file's bytes
     */
    public static byte[] build(boolean pe32Plus, Map<String, List<String>> imports) {
        int thunk = pe32Plus ? 8 : 4;
        // Layout inside the section: code at 0, descriptors at 0x10, then tables, names.
        int descRva = SECTION_RVA + 0x10;
        int cursor = 0x10 + 20 * (imports.size() + 1);
        List<Integer> iltAt = new ArrayList<>();
        List<Integer> iatAt = new ArrayList<>();
        for (List<String> fs : imports.values()) {
            iltAt.add(cursor);
            cursor += thunk * (fs.size() + 1);
            iatAt.add(cursor);
            cursor += thunk * (fs.size() + 1);
        }
        int namesStart = cursor;
        int rawSize = align(namesStart + 64 * 40, 0x200);
        ByteBuffer sec = ByteBuffer.allocate(rawSize).order(ByteOrder.LITTLE_ENDIAN);
        sec.put(0, (byte) 0xC3);
        int names = namesStart;
        int i = 0;
        for (Map.Entry<String, List<String>> e : imports.entrySet()) {
            int d = 0x10 + 20 * i;
            int dllName = names;
            byte[] dn = (e.getKey() + "\0").getBytes(StandardCharsets.US_ASCII);
            sec.put(dllName, dn);
            names += align(dn.length, 2);
            sec.putInt(d, SECTION_RVA + iltAt.get(i));
            sec.putInt(d + 12, SECTION_RVA + dllName);
            sec.putInt(d + 16, SECTION_RVA + iatAt.get(i));
            int k = 0;
            for (String f : e.getValue()) {
                long value;
                if (f.startsWith("#")) {
                    long ord = Long.parseLong(f.substring(1));
                    value = pe32Plus ? (ord | Long.MIN_VALUE) : (ord | 0x80000000L);
                } else {
                    value = SECTION_RVA + names;
                    sec.putShort(names, (short) k);
                    byte[] fn = (f + "\0").getBytes(StandardCharsets.US_ASCII);
                    sec.put(names + 2, fn);
                    names += align(2 + fn.length, 2);
                }
                putThunk(sec, iltAt.get(i) + thunk * k, value, pe32Plus);
                putThunk(sec, iatAt.get(i) + thunk * k, value, pe32Plus);
                k++;
            }
            i++;
        }
        int fileSize = SECTION_DATA + rawSize;
        ByteBuffer b = ByteBuffer.allocate(fileSize).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, (byte) 'M').put(1, (byte) 'Z');
        b.putInt(0x3c, PE_OFFSET);
        b.put(PE_OFFSET, (byte) 'P').put(PE_OFFSET + 1, (byte) 'E');
        b.putShort(COFF_OFFSET, (short) (pe32Plus ? 0x8664 : 0x14c));
        b.putShort(COFF_OFFSET + 2, (short) 1);
        b.putInt(COFF_OFFSET + 4, TIMESTAMP);
        b.putShort(COFF_OFFSET + 16, (short) (pe32Plus ? 0xF0 : 0xE0));
        b.putShort(COFF_OFFSET + 18, (short) (pe32Plus ? 0x0022 : 0x0102));
        int o = OPTIONAL_OFFSET;
        b.putShort(o, (short) (pe32Plus ? 0x20b : 0x10b));
        b.put(o + 2, (byte) 14).put(o + 3, (byte) 0);
        b.putInt(o + 4, rawSize); // SizeOfCode
        b.putInt(o + 16, SECTION_RVA); // AddressOfEntryPoint
        b.putInt(o + 20, SECTION_RVA); // BaseOfCode
        int w; // offset of SectionAlignment
        if (pe32Plus) {
            b.putLong(o + 24, 0x180000000L);
            w = o + 32;
        } else {
            b.putInt(o + 28, 0x400000);
            w = o + 32;
        }
        b.putInt(w, 0x1000); // SectionAlignment
        b.putInt(w + 4, 0x200); // FileAlignment
        b.putShort(w + 8, (short) 6); // MajorOperatingSystemVersion
        b.putShort(w + 16, (short) 6); // MajorSubsystemVersion
        b.putInt(w + 24, SECTION_RVA + align(rawSize, 0x1000)); // SizeOfImage
        b.putInt(w + 28, 0x200); // SizeOfHeaders
        b.putShort(w + 36, (short) 3); // Subsystem: Windows CUI
        b.putShort(w + 38, (short) 0x8140); // DllCharacteristics
        int after = w + 40; // stack/heap sizes
        if (pe32Plus) {
            b.putLong(after, 0x100000).putLong(after + 8, 0x1000).putLong(after + 16, 0x100000)
                    .putLong(after + 24, 0x1000);
            after += 32;
        } else {
            b.putInt(after, 0x100000).putInt(after + 4, 0x1000).putInt(after + 8, 0x100000)
                    .putInt(after + 12, 0x1000);
            after += 16;
        }
        b.putInt(after + 4, 16); // NumberOfRvaAndSizes
        int dirs = after + 8;
        b.putInt(dirs + 8, descRva); // import directory
        b.putInt(dirs + 12, 20 * (imports.size() + 1));
        int sh = sectionHeaderOffset(pe32Plus);
        b.put(sh, ".text".getBytes(StandardCharsets.US_ASCII));
        b.putInt(sh + 8, rawSize); // VirtualSize
        b.putInt(sh + 12, SECTION_RVA);
        b.putInt(sh + 16, rawSize); // SizeOfRawData
        b.putInt(sh + 20, SECTION_DATA);
        b.putInt(sh + 36, 0x60000020); // code, execute, read
        b.put(SECTION_DATA, sec.array());
        byte[] out = b.array();
        int checksum = (int) PeChecksum.compute(out, OPTIONAL_OFFSET + 64);
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(OPTIONAL_OFFSET + 64, checksum);
        return out;
    }

    private static void putThunk(ByteBuffer b, int at, long value, boolean pe32Plus) {
        if (pe32Plus) {
            b.putLong(at, value);
        } else {
            b.putInt(at, (int) value);
        }
    }

    /** Writes a little-endian 32-bit value into a copy of {@code data}. */
    public static byte[] withInt(byte[] data, int offset, int value) {
        byte[] c = data.clone();
        ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, value);
        return c;
    }

    private static int align(int v, int a) {
        return (v + a - 1) / a * a;
    }
}
