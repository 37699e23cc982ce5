package org.workbench.pe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Maps RVAs to file bytes the way pefile 2023.2.7 does ({@code PE.get_data}, {@code SectionStructure.get_data},
 * {@code contains_rva}), so that import names resolve to the same bytes: section raw pointers are rounded down to
 * 0x200 when {@code FileAlignment >= 0x200}, virtual addresses are rounded down to {@code SectionAlignment} (or
 * {@code FileAlignment} below page size), a section's virtual extent is cut at the next section's start, data
 * read from a section stops at the end of its declared raw data, and an RVA in no section falls back to the
 * headers or, failing that, to the same file offset. Reads never go past the end of the file.
 */
final class RvaMap {
    private static final long FILE_ALIGNMENT_HARDCODED = 0x200;

    private final byte[] data;
    private final long headerLength;
    private final long fileAlignment;
    private final long sectionAlignment;
    /** Sections sorted (stably) by virtual address, as pefile keeps them. */
    private final List<Mapped> sorted = new ArrayList<>();

    private record Mapped(long va, long vaAdj, long ptr, long ptrAdj, long raw, long min, long max) {
        boolean contains(long rva) {
            return rva >= min && rva < max;
        }
    }

    RvaMap(byte[] data, List<PeImage.Section> sections, long fileAlignment, long sectionAlignment,
           long sectionTableEnd) {
        this.data = data;
        this.fileAlignment = fileAlignment;
        this.sectionAlignment = sectionAlignment;
        PeImage.Section[] byVa = sections.toArray(new PeImage.Section[0]);
        Arrays.sort(byVa, Comparator.comparingLong(PeImage.Section::virtualAddress));
        long lowest = Long.MAX_VALUE;
        for (PeImage.Section s : byVa) {
            if (s.pointerToRawData() > 0) {
                lowest = Math.min(lowest, adjustFileAlignment(s.pointerToRawData(), fileAlignment));
            }
        }
        long header = lowest == Long.MAX_VALUE || lowest == 0 || lowest < sectionTableEnd ? sectionTableEnd : lowest;
        this.headerLength = Math.min(header, data.length);
        for (int i = 0; i < byVa.length; i++) {
            PeImage.Section s = byVa[i];
            long vaAdj = adjustSectionAlignment(s.virtualAddress(), sectionAlignment, fileAlignment);
            long ptrAdj = adjustFileAlignment(s.pointerToRawData(), fileAlignment);
            long size = data.length - ptrAdj < s.sizeOfRawData() ? s.virtualSize()
                    : Math.max(s.sizeOfRawData(), s.virtualSize());
            if (i + 1 < byVa.length) {
                long next = byVa[i + 1].virtualAddress();
                if (next > s.virtualAddress() && vaAdj + size > next) {
                    size = next - vaAdj;
                }
            }
            sorted.add(new Mapped(s.virtualAddress(), vaAdj, s.pointerToRawData(), ptrAdj, s.sizeOfRawData(),
                    vaAdj, vaAdj + size));
        }
    }

    static long adjustFileAlignment(long value, long fileAlignment) {
        if (fileAlignment < FILE_ALIGNMENT_HARDCODED) {
            return value;
        }
        return (value / 0x200) * 0x200;
    }

    static long adjustSectionAlignment(long value, long sectionAlignment, long fileAlignment) {
        long a = sectionAlignment < 0x1000 ? fileAlignment : sectionAlignment;
        if (a != 0 && value % a != 0) {
            return a * (value / a);
        }
        return value;
    }

    private Mapped section(long rva) {
        for (Mapped m : sorted) {
            if (m.contains(rva)) {
                return m;
            }
        }
        return null;
    }

    /**
     * Reads up to {@code length} bytes at {@code rva} (fewer where the section's raw data or the file ends).
     *
     * @return the bytes, or null when the RVA is in no section and beyond the file (pefile raises there)
     */
    byte[] read(long rva, long length) {
        if (rva < 0) {
            return null;
        }
        Mapped m = section(rva);
        if (m == null) {
            if (rva < headerLength) {
                return slice(rva, Math.min(rva + length, headerLength));
            }
            if (rva < data.length) {
                return slice(rva, rva + length);
            }
            return null;
        }
        long offset = rva - m.vaAdj() + m.ptrAdj();
        long end = Math.min(offset + length, m.ptr() + m.raw());
        return slice(offset, end);
    }

    /** Reads a NUL-terminated string of at most {@code max} bytes at {@code rva}; never null. */
    byte[] string(long rva, int max) {
        if (rva < 0) {
            return new byte[0];
        }
        Mapped m = section(rva);
        byte[] b = m == null ? slice(rva, rva + max) : read(rva, max);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                return Arrays.copyOf(b, i);
            }
        }
        return b;
    }

    /** @return the file's length in bytes */
    long bytesLength() {
        return data.length;
    }

    /** @return the file offset of {@code rva}, or -1 where pefile raises (no section, beyond the file) */
    long offset(long rva) {
        Mapped m = section(rva);
        if (m == null) {
            return rva < data.length ? rva : -1;
        }
        return rva - m.vaAdj() + m.ptrAdj();
    }

    private byte[] slice(long from, long to) {
        long a = Math.min(Math.max(from, 0), data.length);
        long b = Math.min(Math.max(to, a), data.length);
        return Arrays.copyOfRange(data, (int) a, (int) b);
    }
}
