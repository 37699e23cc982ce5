package org.workbench.pe;

import com.kichik.pecoff4j.COFFHeader;
import com.kichik.pecoff4j.DOSHeader;
import com.kichik.pecoff4j.OptionalHeader;
import com.kichik.pecoff4j.SectionHeader;
import com.kichik.pecoff4j.io.DataReader;
import com.kichik.pecoff4j.io.PEParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A parsed, read-only view of a PE (Portable Executable) image held in memory, following the Microsoft PE/COFF
 * specification ("PE Format", learn.microsoft.com): DOS header, {@code PE\0\0} signature, COFF file header,
 * optional header (PE32 or PE32+), section table, and the import, export and resource directories.
 *
 * <p>The fixed-size headers are decoded with pecoff4j's structure readers ({@link PEParser#readDos},
 * {@link PEParser#readCOFF}, {@link PEParser#readOptional}, {@link PEParser#readSectionHeader}), each fed only
 * the bytes of that header (zero-padded where the file is short), so no declared size can make the library read
 * or allocate beyond the header. pecoff4j's whole-file {@code PEParser.parse} is deliberately not used: it
 * allocates arrays of the sizes the file declares, ignores {@code SizeOfOptionalHeader}, gives up when
 * {@code e_lfanew > 8192}, and does not resolve import names. Its {@code OptionalHeader} also returns the PE32
 * {@code ImageBase} and stack/heap sizes as sign-extended ints (so an image base of {@code 0x80000000} comes back
 * negative). Those parts are our own bounded reads of the raw bytes: {@code ImageBase} and the stack/heap sizes,
 * section names (raw bytes up to the first NUL, ISO-8859-1), the data directory count (honouring
 * {@code NumberOfRvaAndSizes}), and the import, export and resource directories.
 *
 * <p>Import parsing follows the same rules as pefile 2023.2.7 (RVA-to-offset mapping with its alignment
 * adjustments, its stopping and plausibility rules), so the imported DLL and function names agree with what
 * pefile reports. Every loop is bounded (at most {@value #MAX_SECTIONS} sections, {@value #MAX_IMPORT_SYMBOLS}
 * import thunks, {@value #MAX_RESOURCE_ENTRIES} resource entries, 512-byte names), and nothing allocates more
 * than the file's size.
 *
 * <p>Problems that make the file damaged rather than unusual (a truncated section table, section data past the
 * end of the file) are listed by {@link #damage()}; {@link #parse(byte[])} throws only when there is no usable
 * PE header at all.
 */
public final class PeImage {
    /** Upper bound on section headers read (pefile's {@code MAX_SECTIONS}). */
    public static final int MAX_SECTIONS = 0x800;
    /** Upper bound on import thunks read over the whole file (pefile's {@code MAX_IMPORT_SYMBOLS}). */
    public static final int MAX_IMPORT_SYMBOLS = 0x2000;
    /** Upper bound on resource directory entries visited. */
    public static final int MAX_RESOURCE_ENTRIES = 0x8000;
    /** Upper bound on exported functions counted. */
    public static final int MAX_EXPORTS = 0x2000;
    /** Maximum length of an imported DLL or function name, in bytes (pefile's limit). */
    public static final int MAX_NAME_LENGTH = 0x200;

    /** IMAGE_SCN_CNT_CODE. */
    public static final long SCN_CNT_CODE = 0x20L;
    /** IMAGE_SCN_CNT_UNINITIALIZED_DATA. */
    public static final long SCN_CNT_UNINITIALIZED_DATA = 0x80L;
    /** IMAGE_SCN_MEM_EXECUTE. */
    public static final long SCN_MEM_EXECUTE = 0x20000000L;

    /**
     * One section header.
     *
     * @param name             the 8-byte name up to its first NUL, ISO-8859-1
     * @param virtualAddress   RVA of the section when loaded
     * @param virtualSize      size in memory, bytes
     * @param pointerToRawData file offset of its data
     * @param sizeOfRawData    size of its data in the file as declared, bytes (may exceed the file)
     * @param characteristics  IMAGE_SCN_* flags
     * @param entropy          Shannon entropy of the section's bytes present in the file, bits per byte
     */
    public record Section(String name, long virtualAddress, long virtualSize, long pointerToRawData,
                          long sizeOfRawData, long characteristics, double entropy) {
        /** @return whether the section holds code or is executable */
        public boolean isCode() {
            return (characteristics & (SCN_CNT_CODE | SCN_MEM_EXECUTE)) != 0;
        }

        /**
         * @param rva a relative virtual address
         * @return whether it lies within the section's virtual or raw extent
         */
        public boolean containsRva(long rva) {
            return rva >= virtualAddress && rva < virtualAddress + Math.max(virtualSize, sizeOfRawData);
        }
    }

    /**
     * One data directory entry (optional header).
     *
     * @param virtualAddress RVA (or, for the certificate table, a file offset)
     * @param size           bytes
     */
    public record DataDirectory(long virtualAddress, long size) {
    }

    /**
     * One imported function.
     *
     * @param name    the name from the hint/name table, or null when imported by ordinal
     * @param ordinal the ordinal when imported by ordinal, else null
     * @param hint    the hint when imported by name and present in the file, else null
     */
    public record ImportedFunction(String name, Integer ordinal, Integer hint) {
        /** @return whether it is imported by ordinal */
        public boolean byOrdinal() {
            return name == null;
        }

        /** @return the name, or {@code #<ordinal>} for an import by ordinal */
        public String label() {
            return name != null ? name : "#" + ordinal;
        }
    }

    /**
     * The functions imported from one DLL (one import descriptor).
     *
     * @param dll       the DLL name as written in the file ({@code *invalid*} when it has characters no DOS
     *                  file name has, as pefile reports it)
     * @param functions its functions, in table order
     */
    public record ImportedDll(String dll, List<ImportedFunction> functions) {    }

    /**
     * What the resource directory holds.
     *
     * @param count number of resources (leaf data entries)
     * @param types the top-level types: {@code RT_*} names for standard ids (e.g. {@code RT_ICON},
     *              {@code RT_VERSION}), the decimal id for others, the name for named types
     */
    public record Resources(int count, List<String> types) {    }

    private final byte[] data;
    private final int peOffset;
    private final int optionalHeaderOffset;
    private final COFFHeader coff;
    private final OptionalHeader optional;
    private final boolean pe32Plus;
    private final long imageBase;
    private final long sizeOfStackReserve;
    private final long sizeOfStackCommit;
    private final long sizeOfHeapReserve;
    private final long sizeOfHeapCommit;
    private final List<DataDirectory> directories;
    private final List<Section> sections;
    private final List<String> damage = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<ImportedDll> imports;
    private final int exportCount;
    private final Resources resources;
    private final RvaMap map;

    private PeImage(byte[] data) throws PeFormatException {
        this.data = data;
        if (data.length < 64) {
            throw new PeFormatException("too short for a DOS header: " + data.length + " bytes (64 needed)");
        }
        if (data[0] != 'M' || data[1] != 'Z') {
            throw new PeFormatException(String.format("wrong magic: the file starts with 0x%02x%02x, not 'MZ'",
                    data[0] & 0xff, data[1] & 0xff));
        }
        DOSHeader dos;
        try {
            dos = PEParser.readDos(reader(0, 64));
        } catch (IOException | RuntimeException e) {
            throw new PeFormatException("unreadable DOS header: " + e);
        }
        long lfanew = Integer.toUnsignedLong(dos.getAddressOfNewExeHeader());
        if (lfanew + 4 + 20 > data.length) {
            throw new PeFormatException("e_lfanew 0x" + Long.toHexString(lfanew) + " points past the end of the "
                    + data.length + "-byte file (no room for the PE signature and COFF header)");
        }
        peOffset = (int) lfanew;
        if (data[peOffset] != 'P' || data[peOffset + 1] != 'E' || data[peOffset + 2] != 0 || data[peOffset + 3] != 0) {
            throw new PeFormatException("no PE signature at e_lfanew 0x" + Integer.toHexString(peOffset)
                    + " (an MZ file that is not PE: DOS, NE or LE executable, or damaged)");
        }
        try {
            coff = PEParser.readCOFF(reader(peOffset + 4, 20));
        } catch (IOException | RuntimeException e) {
            throw new PeFormatException("unreadable COFF header: " + e);
        }
        optionalHeaderOffset = peOffset + 24;
        int magic = u16(optionalHeaderOffset);
        if (magic != 0x10b && magic != 0x20b) {
            throw new PeFormatException(String.format("unknown optional header magic 0x%x (0x10b PE32 or 0x20b "
                    + "PE32+ expected)", magic));
        }
        pe32Plus = magic == 0x20b;
        int fixedPart = pe32Plus ? 112 : 96;
        if (optionalHeaderOffset + fixedPart > data.length) {
            throw new PeFormatException("optional header truncated: the file ends at " + data.length
                    + ", the header's fixed part needs " + (optionalHeaderOffset + fixedPart));
        }
        try {
            optional = PEParser.readOptional(reader(optionalHeaderOffset, fixedPart + 16 * 8));
        } catch (IOException | RuntimeException e) {
            throw new PeFormatException("unreadable optional header: " + e);
        }
        if (pe32Plus) {
            imageBase = u64(optionalHeaderOffset + 24);
            sizeOfStackReserve = u64(optionalHeaderOffset + 72);
            sizeOfStackCommit = u64(optionalHeaderOffset + 80);
            sizeOfHeapReserve = u64(optionalHeaderOffset + 88);
            sizeOfHeapCommit = u64(optionalHeaderOffset + 96);
        } else {
            imageBase = u32(optionalHeaderOffset + 28);
            sizeOfStackReserve = u32(optionalHeaderOffset + 72);
            sizeOfStackCommit = u32(optionalHeaderOffset + 76);
            sizeOfHeapReserve = u32(optionalHeaderOffset + 80);
            sizeOfHeapCommit = u32(optionalHeaderOffset + 84);
        }
        int dirCount = (int) Math.min(16, Integer.toUnsignedLong(optional.getNumberOfRvaAndSizes()));
        List<DataDirectory> dirs = new ArrayList<>();
        for (int i = 0; i < dirCount; i++) {
            int at = optionalHeaderOffset + fixedPart + 8 * i;
            dirs.add(new DataDirectory(u32(at), u32(at + 4)));
        }
        directories = Collections.unmodifiableList(dirs);
        sections = Collections.unmodifiableList(readSections());
        map = new RvaMap(data, sections, fileAlignment(), sectionAlignment(),
                optionalHeaderOffset + coff.getSizeOfOptionalHeader() + 40L * sections.size());
        imports = Collections.unmodifiableList(new ImportParser(map, pe32Plus, notes).parse(directory(1)));
        exportCount = countExports();
        resources = readResources();
    }

    /**
     * Parses a PE image.
     *
     * @param data the whole file (not copied; do not modify it afterwards)
     * @return the parsed view
     * @throws PeFormatException when the file is too short, lacks the MZ or PE magic, has an unknown optional
     *                           header magic, or its headers end past the end of the file
     */
    public static PeImage parse(byte[] data) throws PeFormatException {
        return new PeImage(Objects.requireNonNull(data, "data"));
    }

    /**
     * @param data some bytes
     * @return whether they start with the DOS magic {@code MZ}
     */
    public static boolean hasMzMagic(byte[] data) {
        return data.length >= 2 && data[0] == 'M' && data[1] == 'Z';
    }

    private List<Section> readSections() {
        int declared = coff.getNumberOfSections();
        long tableOffset = (long) optionalHeaderOffset + coff.getSizeOfOptionalHeader();
        List<Section> out = new ArrayList<>();
        int n = Math.min(declared, MAX_SECTIONS);
        if (declared > MAX_SECTIONS) {
            damage.add("the COFF header declares " + declared + " sections; only the first " + MAX_SECTIONS
                    + " are read");
        }
        for (int i = 0; i < n; i++) {
            long at = tableOffset + 40L * i;
            if (at + 40 > data.length) {
                damage.add("section table truncated: " + i + " of " + declared + " section headers fit in the "
                        + data.length + "-byte file");
                break;
            }
            int off = (int) at;
            boolean allZero = true;
            for (int k = off; k < off + 40 && allZero; k++) {
                allZero = data[k] == 0;
            }
            if (allZero) {
                notes.add("section header " + i + " is all zero bytes; the section table ends there");
                break;
            }
            SectionHeader sh;
            try {
                sh = PEParser.readSectionHeader(reader(off, 40));
            } catch (IOException | RuntimeException e) {
                damage.add("unreadable section header " + i + ": " + e);
                break;
            }
            int len = 0;
            while (len < 8 && data[off + len] != 0) {
                len++;
            }
            String name = new String(data, off, len, StandardCharsets.ISO_8859_1);
            long ptr = Integer.toUnsignedLong(sh.getPointerToRawData());
            long raw = Integer.toUnsignedLong(sh.getSizeOfRawData());
            if (raw > 0 && ptr + raw > data.length) {
                damage.add("section '" + name + "' declares " + raw + " bytes of raw data at file offset " + ptr
                        + ", past the end of the " + data.length + "-byte file");
            }
            long adj = RvaMap.adjustFileAlignment(ptr, fileAlignment());
            double entropy = ByteEntropy.of(data, adj, Math.min(adj + raw, ptr + raw));
            out.add(new Section(name, Integer.toUnsignedLong(sh.getVirtualAddress()),
                    Integer.toUnsignedLong(sh.getVirtualSize()), ptr, raw,
                    Integer.toUnsignedLong(sh.getCharacteristics()), entropy));
        }
        return out;
    }

    private int countExports() {
        DataDirectory d = directory(0);
        if (d == null || d.virtualAddress() == 0) {
            return 0;
        }
        byte[] dir = map.read(d.virtualAddress(), 40);
        if (dir == null || dir.length < 40) {
            notes.add("export directory at RVA 0x" + Long.toHexString(d.virtualAddress()) + " is not in the file");
            return 0;
        }
        long functions = le32(dir, 20);
        long table = le32(dir, 28);
        int n = (int) Math.min(functions, MAX_EXPORTS);
        byte[] addresses = map.read(table, 4L * n);
        if (addresses == null) {
            return 0;
        }
        int count = 0;
        for (int i = 0; i + 4 <= addresses.length; i += 4) {
            if (le32(addresses, i) != 0) {
                count++;
            }
        }
        return count;
    }

    private static final String[] RESOURCE_TYPES = {null, "RT_CURSOR", "RT_BITMAP", "RT_ICON", "RT_MENU",
        "RT_DIALOG", "RT_STRING", "RT_FONTDIR", "RT_FONT", "RT_ACCELERATOR", "RT_RCDATA", "RT_MESSAGETABLE",
        "RT_GROUP_CURSOR", null, "RT_GROUP_ICON", null, "RT_VERSION", "RT_DLGINCLUDE", null, "RT_PLUGPLAY",
        "RT_VXD", "RT_ANICURSOR", "RT_ANIICON", "RT_HTML", "RT_MANIFEST"};

    private Resources readResources() {
        DataDirectory d = directory(2);
        if (d == null || d.virtualAddress() == 0) {
            return new Resources(0, List.of());
        }
        List<String> types = new ArrayList<>();
        int[] budget = {MAX_RESOURCE_ENTRIES};
        int count = walkResources(d.virtualAddress(), 0, 0, types, budget, new java.util.HashSet<>());
        return new Resources(count, List.copyOf(types));
    }

    /** Counts the leaves under the directory at {@code root + offset}; level 0 entries name the types. */
    private int walkResources(long root, long offset, int level, List<String> types, int[] budget,
                              java.util.Set<Long> seen) {
        if (level > 3 || !seen.add(offset)) {
            return 0;
        }
        byte[] head = map.read(root + offset, 16);
        if (head == null || head.length < 16) {
            return 0;
        }
        int entries = u16(head, 12) + u16(head, 14);
        int count = 0;
        for (int i = 0; i < entries && budget[0] > 0; i++) {
            budget[0]--;
            byte[] e = map.read(root + offset + 16 + 8L * i, 8);
            if (e == null || e.length < 8) {
                break;
            }
            long nameOrId = le32(e, 0);
            long target = le32(e, 4);
            if (level == 0) {
                types.add(resourceTypeName(root, nameOrId));
            }
            if ((target & 0x80000000L) != 0) {
                count += walkResources(root, target & 0x7fffffffL, level + 1, types, budget, seen);
            } else {
                count++;
            }
        }
        return count;
    }

    private String resourceTypeName(long root, long nameOrId) {
        if ((nameOrId & 0x80000000L) == 0) {
            int id = (int) (nameOrId & 0xffff);
            return id < RESOURCE_TYPES.length && RESOURCE_TYPES[id] != null ? RESOURCE_TYPES[id]
                    : Integer.toString(id);
        }
        long at = root + (nameOrId & 0x7fffffffL);
        byte[] len = map.read(at, 2);
        if (len == null || len.length < 2) {
            return "?";
        }
        int chars = Math.min(u16(len, 0), 256);
        byte[] s = map.read(at + 2, 2L * chars);
        return s == null ? "?" : new String(s, 0, s.length & ~1, StandardCharsets.UTF_16LE);
    }

    // ---------------------------------------------------------------------------------------------------

    /** @return the whole file (shared, not copied) */
    public byte[] bytes() {
        return data;
    }

    /** @return file size in bytes */
    public int fileSize() {
        return data.length;
    }

    /** @return whether the optional header is PE32+ (64-bit), else PE32 */
    public boolean isPe32Plus() {
        return pe32Plus;
    }

    /**
     * @return the COFF file header as pecoff4j decoded it (its 32-bit getters are signed: see
     *         {@link #timeDateStamp()})
     */
    public COFFHeader coffHeader() {
        return coff;
    }

    /**
     * @return the optional header as pecoff4j decoded it; its 32-bit getters return signed ints (use
     *         {@link Integer#toUnsignedLong}), and its image base and stack/heap getters sign-extend PE32 values
     *         (use this class's {@link #imageBase()} and stack/heap getters)
     */
    public OptionalHeader optionalHeader() {
        return optional;
    }

    /** @return COFF {@code Machine} (e.g. 0x14c i386, 0x8664 AMD64) */
    public int machine() {
        return coff.getMachine();
    }

    /** @return COFF {@code TimeDateStamp}: seconds since 1970-01-01 UTC, unsigned */
    public long timeDateStamp() {
        return Integer.toUnsignedLong(coff.getTimeDateStamp());
    }

    /** @return COFF {@code Characteristics} (IMAGE_FILE_* flags) */
    public int characteristics() {
        return coff.getCharacteristics();
    }

    /** @return whether IMAGE_FILE_DLL (0x2000) is set */
    public boolean isDll() {
        return (coff.getCharacteristics() & 0x2000) != 0;
    }

    /** @return the {@code NumberOfSections} the COFF header declares */
    public int declaredSectionCount() {
        return coff.getNumberOfSections();
    }

    /** @return {@code AddressOfEntryPoint}, an RVA */
    public long entryPoint() {
        return Integer.toUnsignedLong(optional.getAddressOfEntryPoint());
    }

    /** @return {@code ImageBase} (64-bit for PE32+) */
    public long imageBase() {
        return imageBase;
    }

    /** @return {@code SizeOfStackReserve}, bytes */
    public long sizeOfStackReserve() {
        return sizeOfStackReserve;
    }

    /** @return {@code SizeOfStackCommit}, bytes */
    public long sizeOfStackCommit() {
        return sizeOfStackCommit;
    }

    /** @return {@code SizeOfHeapReserve}, bytes */
    public long sizeOfHeapReserve() {
        return sizeOfHeapReserve;
    }

    /** @return {@code SizeOfHeapCommit}, bytes */
    public long sizeOfHeapCommit() {
        return sizeOfHeapCommit;
    }

    /** @return {@code SectionAlignment}, bytes */
    public long sectionAlignment() {
        return Integer.toUnsignedLong(optional.getSectionAlignment());
    }

    /** @return {@code FileAlignment}, bytes */
    public long fileAlignment() {
        return Integer.toUnsignedLong(optional.getFileAlignment());
    }

    /** @return the {@code CheckSum} the optional header declares (0 when the linker did not set one) */
    public long declaredChecksum() {
        return Integer.toUnsignedLong(optional.getCheckSum());
    }

    /** @return the checksum computed over the file (see {@link PeChecksum}) */
    public long computedChecksum() {
        return PeChecksum.compute(data, optionalHeaderOffset + 64);
    }

    /** @return the data directories, at most 16 ({@code NumberOfRvaAndSizes}) */
    public List<DataDirectory> directories() {
        return directories;
    }

    /**
     * @param index 0 export, 1 import, 2 resource, 4 certificate, ... (PE/COFF spec, "Optional Header Data
     *              Directories")
     * @return that data directory, or null when the header has fewer
     */
    public DataDirectory directory(int index) {
        return index < directories.size() ? directories.get(index) : null;
    }

    /** @return the section headers in file order */
    public List<Section> sections() {
        return sections;
    }

    /** @return the first section whose virtual extent holds the entry point, or null */
    public Section entryPointSection() {
        for (Section s : sections) {
            if (s.containsRva(entryPoint())) {
                return s;
            }
        }
        return null;
    }

    /** @return the imported DLLs in import directory order (descriptors pefile would also skip are skipped) */
    public List<ImportedDll> imports() {
        return imports;
    }

    /** @return number of imported functions over all DLLs */
    public int importedFunctionCount() {
        return imports.stream().mapToInt(d -> d.functions().size()).sum();
    }

    /** @return number of exported functions (non-zero export address table entries, at most {@value #MAX_EXPORTS}) */
    public int exportCount() {
        return exportCount;
    }

    /** @return the resource directory's summary */
    public Resources resources() {
        return resources;
    }

    /**
     * @return file offset where the overlay starts: the end of the furthest section raw data that lies within
     *         the file; equals the file size when there is no overlay
     */
    public long overlayOffset() {
        long end = 0;
        for (Section s : sections) {
            long e = s.pointerToRawData() + s.sizeOfRawData();
            if (s.sizeOfRawData() > 0 && e <= data.length) {
                end = Math.max(end, e);
            }
        }
        return end == 0 ? data.length : end;
    }

    /** @return bytes after the last section's raw data (0 when none) */
    public long overlaySize() {
        return data.length - overlayOffset();
    }

    /**
     * @return whether the overlay is the certificate table (an Authenticode signature; PE/COFF spec, "The
     *         Attribute Certificate Table"), up to 8-byte alignment padding
     */
    public boolean overlayIsCertificate() {
        DataDirectory cert = directory(4); // its "virtual address" is a file offset
        if (cert == null || cert.size() == 0 || overlaySize() == 0) {
            return false;
        }
        long start = overlayOffset();
        long end = cert.virtualAddress() + cert.size();
        // the table starts at the overlay and ends the file, allowing for 8-byte alignment padding
        return cert.virtualAddress() >= start && cert.virtualAddress() - start < 8 && end <= data.length
                && data.length - end < 8;
    }

    /**
     * @return damage found: the section table or section data extending past the end of the file, too many
     *         sections (empty for an intact file)
     */
    public List<String> damage() {
        return Collections.unmodifiableList(damage);
    }

    /** @return oddities found while parsing that do not make the file damaged (e.g. unreadable import thunks) */
    public List<String> notes() {
        return Collections.unmodifiableList(notes);
    }

    // ---------------------------------------------------------------------------------------------------

    private DataReader reader(int offset, int length) {
        byte[] b = Arrays.copyOfRange(data, offset, offset + length); // zero-padded past the end of the file
        return new DataReader(b);
    }

    private int u16(int off) {
        return off + 2 <= data.length ? u16(data, off) : 0;
    }

    private long u32(int off) {
        return off + 4 <= data.length ? le32(data, off) : 0;
    }

    private long u64(int off) {
        return off + 8 <= data.length ? le32(data, off) | (le32(data, off + 4) << 32) : 0;
    }

    static int u16(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
    }

    static long le32(byte[] b, int off) {
        return (b[off] & 0xffL) | (b[off + 1] & 0xffL) << 8 | (b[off + 2] & 0xffL) << 16 | (b[off + 3] & 0xffL) << 24;
    }
}
