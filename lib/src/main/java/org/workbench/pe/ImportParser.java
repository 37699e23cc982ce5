package org.workbench.pe;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks the import directory (PE/COFF spec, "The .idata Section": import directory table, import lookup table,
 * hint/name table) with the rules of pefile 2023.2.7 ({@code parse_import_directory}, {@code parse_imports},
 * {@code get_import_table}), so the result names the same DLLs and functions: the descriptor list ends at an
 * all-zero or unreadable descriptor; a descriptor whose thunks yield nothing is skipped (after more than 5 such,
 * parsing stops); thunk tables end at a zero entry, at an entry pointing back into the table, past the length
 * bound pefile derives, and are dropped entirely when 15 addresses repeat, the addresses spread over more than
 * 128 MiB, or an ordinal entry has bits above 16; names with characters outside pefile's sets become
 * {@code *invalid*} (DLLs) or are skipped (functions). At most {@value PeImage#MAX_IMPORT_SYMBOLS} thunks are
 * read per file.
 */
final class ImportParser {
    private static final String DOS_NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
            + "!#$%&'()-@^_`{}~+,.;=[]\\/";
    private static final String FUNCTION_NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
            + "0123456789._?@$()<>";
    private static final long MAX_ADDRESS_SPREAD = 128L << 20;
    private static final int MAX_REPEATED_ADDRESSES = 15;

    private final RvaMap map;
    private final boolean pe32Plus;
    private final List<String> notes;
    private int totalSymbols;

    ImportParser(RvaMap map, boolean pe32Plus, List<String> notes) {
        this.map = map;
        this.pe32Plus = pe32Plus;
        this.notes = notes;
    }

    /** Signals pefile's {@code PEFormatError} inside {@code parse_imports}: the descriptor yields nothing. */
    private static final class BadThunks extends Exception {
        private static final long serialVersionUID = 1L;

        BadThunks(String message) {
            super(message, null, false, false);
        }
    }

    List<PeImage.ImportedDll> parse(PeImage.DataDirectory dir) {
        List<PeImage.ImportedDll> out = new ArrayList<>();
        if (dir == null || dir.virtualAddress() == 0) {
            return out;
        }
        long rva = dir.virtualAddress();
        int errors = 0;
        while (true) {
            byte[] d = map.read(rva, 20);
            if (d == null) {
                notes.add("import directory unreadable at RVA 0x" + Long.toHexString(rva));
                break;
            }
            if (d.length < 20 || allZero(d)) {
                break;
            }
            long descriptorOffset = map.offset(rva);
            long oft = PeImage.le32(d, 0);
            long forwarder = PeImage.le32(d, 8);
            long nameRva = PeImage.le32(d, 12);
            long ft = PeImage.le32(d, 16);
            rva += 20;
            long maxLen = map.bytesLength() - descriptorOffset;
            if (rva > oft || rva > ft) {
                maxLen = Math.max(rva - oft, rva - ft);
            }
            List<PeImage.ImportedFunction> functions;
            try {
                functions = functions(oft, ft, maxLen);
            } catch (BadThunks e) {
                notes.add("invalid import data for the descriptor before RVA 0x" + Long.toHexString(rva) + ": "
                        + e.getMessage());
                functions = List.of();
            }
            if (errors > 5) {
                notes.add("too many errors in the import directory; stopped at RVA 0x" + Long.toHexString(rva));
                break;
            }
            if (functions.isEmpty()) {
                errors++;
                continue;
            }
            byte[] name = map.string(nameRva, PeImage.MAX_NAME_LENGTH);
            String dll = validChars(name, DOS_NAME_CHARS) ? ascii(name) : "*invalid*";
            if (!dll.isEmpty()) {
                out.add(new PeImage.ImportedDll(dll, List.copyOf(functions)));
            }
        }
        return out;
    }

    private List<PeImage.ImportedFunction> functions(long oft, long ft, long maxLen) throws BadThunks {
        List<Long> ilt = table(oft, maxLen);
        List<Long> iat = table(ft, maxLen);
        if ((iat == null || iat.isEmpty()) && (ilt == null || ilt.isEmpty())) {
            return List.of();
        }
        List<Long> table = ilt != null && !ilt.isEmpty() ? ilt : iat;
        long ordinalFlag = pe32Plus ? Long.MIN_VALUE : 0x80000000L;
        long addressMask = pe32Plus ? Long.MAX_VALUE : 0x7fffffffL;
        List<PeImage.ImportedFunction> out = new ArrayList<>();
        int invalid = 0;
        for (int idx = 0; idx < table.size(); idx++) {
            long entry = table.get(idx);
            Integer ordinal = null;
            Integer hint = null;
            String name = null;
            if ((entry & ordinalFlag) != 0) {
                ordinal = (int) (entry & 0xffff);
            } else {
                byte[] h = map.read(entry & addressMask, 2);
                if (h != null) {
                    hint = h.length == 2 ? PeImage.u16(h, 0) : null;
                    byte[] n = map.string(entry + 2, PeImage.MAX_NAME_LENGTH);
                    name = validChars(n, FUNCTION_NAME_CHARS) ? ascii(n) : "*invalid*";
                }
            }
            if (ordinal == null && name == null) {
                throw new BadThunks("hint/name entry at RVA 0x" + Long.toHexString(entry) + " is outside the file");
            }
            if ("*invalid*".equals(name)) {
                if (invalid > 1000 && invalid == idx) {
                    throw new BadThunks("too many invalid names");
                }
                invalid++;
                continue;
            }
            if ((ordinal != null && ordinal != 0) || (name != null && !name.isEmpty())) {
                out.add(new PeImage.ImportedFunction(name, name == null ? ordinal : null, hint));
            }
        }
        return out;
    }

    /** @return the non-zero thunks at {@code rva}; empty for a table judged bogus; null when unreadable */
    private List<Long> table(long rva, long maxLen) {
        List<Long> out = new ArrayList<>();
        int size = pe32Plus ? 8 : 4;
        long ordinalFlag = pe32Plus ? Long.MIN_VALUE : 0x80000000L;
        long start = rva;
        int repeated = 0;
        java.util.Set<Long> seen = new java.util.HashSet<>();
        long min32 = Long.MAX_VALUE;
        long max32 = Long.MIN_VALUE;
        long min64 = Long.MAX_VALUE;
        long max64 = Long.MIN_VALUE;
        while (rva != 0) {
            if (rva >= start + maxLen) {
                break;
            }
            if (totalSymbols > PeImage.MAX_IMPORT_SYMBOLS) {
                notes.add("more than " + PeImage.MAX_IMPORT_SYMBOLS + " import thunks; the rest are ignored");
                break;
            }
            totalSymbols++;
            if (repeated >= MAX_REPEATED_ADDRESSES) {
                return new ArrayList<>();
            }
            if ((max32 >= min32 && max32 - min32 > MAX_ADDRESS_SPREAD)
                    || (max64 >= min64 && Long.compareUnsigned(max64 - min64, MAX_ADDRESS_SPREAD) > 0)) {
                return new ArrayList<>();
            }
            byte[] b = map.read(rva, size);
            if (b == null || b.length != size) {
                return null;
            }
            long v = pe32Plus ? PeImage.le32(b, 0) | (PeImage.le32(b, 4) << 32) : PeImage.le32(b, 0);
            if (v != 0 && Long.compareUnsigned(v, start) >= 0 && Long.compareUnsigned(v, rva) <= 0) {
                break;
            }
            if (v != 0) {
                if ((v & ordinalFlag) != 0) {
                    if ((v & 0x7fffffffL) > 0xffff) {
                        return new ArrayList<>();
                    }
                } else {
                    if (!seen.add(v)) {
                        repeated++;
                    }
                    if (Long.compareUnsigned(v, 1L << 32) >= 0) {
                        min64 = Math.min(min64, v);
                        max64 = Math.max(max64, v);
                    } else {
                        min32 = Math.min(min32, v);
                        max32 = Math.max(max32, v);
                    }
                }
            }
            if (v == 0) {
                break;
            }
            rva += size;
            out.add(v);
        }
        return out;
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean validChars(byte[] s, String allowed) {
        for (byte c : s) {
            if (c < 0 || allowed.indexOf((char) c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static String ascii(byte[] s) {
        return new String(s, StandardCharsets.ISO_8859_1);
    }
}
