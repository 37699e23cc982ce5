package org.workbench.pe;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a {@link PeImage} into indicators: observations that, together, suggest what a program does or that it is
 * packed or malformed. Each indicator is a JSON-like map {@code {category, description, severity, attributes}}:
 * {@code category} is an {@link ApiCategories} name (from the imports) or {@code MALFORMED} / {@code PACKER}
 * (from the structure), {@code severity} 1 (informational) .. 3 (strongly suspicious), {@code attributes} the
 * strings that triggered it (API names, section names, values).
 *
 * <p>Structural rules (offsets, flags and the checksum algorithm per the Microsoft PE/COFF specification):
 * non-standard section names; sections with no raw data but a virtual size (except uninitialized-data
 * sections); an entry point outside any section or outside the executable sections; a non-zero declared
 * {@code CheckSum} that differs from the computed one; overlay data after the last section (unless it is just
 * an Authenticode signature); sections with
 * entropy above the threshold; DLLs imported only by ordinal; timestamps that are 0, before 1995 or after the
 * sample was stored; few or no imports; section data past the end of the file.
 */
public final class PeIndicatorRules {
    /** Section names compilers and linkers commonly emit (MSVC, GCC/MinGW, Borland/Delphi, drivers, .NET). */
    public static final Set<String> STANDARD_SECTION_NAMES = Set.of(".text", ".data", ".rdata", ".idata",
            ".edata", ".rsrc", ".reloc", ".bss", ".tls", ".pdata", ".xdata", ".crt", ".sdata", ".srdata", ".debug",
            ".didat", ".gfids", ".00cfg", ".CRT", ".orpc", ".textbss", ".giats", ".retplne", ".voltbl", ".fptable",
            ".guard", ".mrdata", ".sxdata", ".drectve", ".ndata", ".eh_fram", ".cormeta", ".rodata", ".buildid",
            ".idata$2", "CODE", "DATA", "BSS", ".itext", "PAGE", "INIT", "PAGEDATA", "PAGECONST", "PAGELK",
            "PAGEVRFY", "PAGEKD", "PAGEWMI", "PAGESER", "INITKDBG", "NONPAGED", ".code");

    /** 1995-01-01T00:00:00Z: the Win32 PE format predates few real programs before this. */
    public static final long EARLIEST_PLAUSIBLE_TIMESTAMP = 788918400L;

    /** DLLs that are normally imported by ordinal (Winsock, OLE Automation, common controls, MFC, VB6). */
    private static final Set<String> ORDINAL_DLLS = Set.of("ws2_32.dll", "wsock32.dll", "oleaut32.dll", "comctl32.dll",
            "mfc42.dll", "mfc42u.dll", "mfc71.dll", "mfc80.dll", "mfc90.dll", "mfc100.dll", "msvbvm60.dll");

    private PeIndicatorRules() {
    }

    /**
     * @param pe             the parsed image
     * @param importTime     when the sample was stored (timestamps after it are suspicious)
     * @param entropyLimit   sections above this many bits per byte are flagged as packed (e.g. 7.0)
     * @param fewImports     fewer imported functions than this are flagged (e.g. 10)
     * @return the indicators, API categories first
     */
    public static List<Map<String, Object>> indicators(PeImage pe, Instant importTime, double entropyLimit,
                                                       int fewImports) {
        List<Map<String, Object>> out = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (PeImage.ImportedDll d : pe.imports()) {
            for (PeImage.ImportedFunction f : d.functions()) {
                if (!f.byOrdinal()) {
                    names.add(f.name());
                }
            }
        }
        for (Map.Entry<String, List<String>> e : ApiCategories.classify(names).entrySet()) {
            ApiCategories.Category c = ApiCategories.category(e.getKey());
            out.add(indicator(c.name(), c.description(), c.severity(), e.getValue()));
        }

        if (!pe.damage().isEmpty()) {
            out.add(indicator("MALFORMED", "The file is damaged or truncated", 3, pe.damage()));
        }
        List<String> odd = new ArrayList<>();
        for (PeImage.Section s : pe.sections()) {
            if (!STANDARD_SECTION_NAMES.contains(s.name())) {
                odd.add(s.name());
            }
        }
        if (!odd.isEmpty()) {
            out.add(indicator("MALFORMED", "Non-standard section names", 1, odd));
        }
        List<String> empty = new ArrayList<>();
        for (PeImage.Section s : pe.sections()) {
            if (s.sizeOfRawData() == 0 && s.virtualSize() > 0
                    && (s.characteristics() & PeImage.SCN_CNT_UNINITIALIZED_DATA) == 0) {
                empty.add(s.name());
            }
        }
        if (!empty.isEmpty()) {
            out.add(indicator("PACKER", "Sections with no raw data but a virtual size (filled at run time)", 2,
                    empty));
        }
        if (!(pe.entryPoint() == 0 && pe.isDll())) {
            PeImage.Section ep = pe.entryPointSection();
            String at = String.format("entry point 0x%x", pe.entryPoint());
            if (ep == null) {
                out.add(indicator("MALFORMED", "Entry point outside every section", 3, List.of(at)));
            } else if (!ep.isCode()) {
                out.add(indicator("PACKER", "Entry point in a section that is not executable code", 2,
                        List.of(at, ep.name())));
            } else if (!pe.sections().isEmpty() && ep != firstCodeSection(pe)) {
                out.add(indicator("PACKER", "Entry point not in the first code section", 1,
                        List.of(at, ep.name())));
            }
        }
        long declared = pe.declaredChecksum();
        if (declared != 0) {
            long computed = pe.computedChecksum();
            if (declared != computed) {
                out.add(indicator("MALFORMED", "Checksum in the optional header does not match the file", 1,
                        List.of(String.format("declared 0x%08x", declared),
                                String.format("computed 0x%08x", computed))));
            }
        }
        long overlay = pe.overlaySize();
        if (overlay > 0 && !pe.overlayIsCertificate()) {
            out.add(indicator("PACKER", "Data appended after the last section (overlay)", 1,
                    List.of(overlay + " bytes at offset " + pe.overlayOffset())));
        }
        List<String> packed = new ArrayList<>();
        for (PeImage.Section s : pe.sections()) {
            if (s.entropy() > entropyLimit) {
                packed.add(String.format(Locale.ROOT, "%s (%.2f)", s.name(), s.entropy()));
            }
        }
        if (!packed.isEmpty()) {
            out.add(indicator("PACKER", String.format(Locale.ROOT,
                    "High-entropy sections (above %.1f bits/byte): compressed or encrypted content", entropyLimit),
                    2, packed));
        }
        List<String> byOrdinal = new ArrayList<>();
        for (PeImage.ImportedDll d : pe.imports()) {
            if (!d.functions().isEmpty() && d.functions().stream().allMatch(PeImage.ImportedFunction::byOrdinal)
                    && !ORDINAL_DLLS.contains(d.dll().toLowerCase(Locale.ROOT))) {
                byOrdinal.add(d.dll());
            }
        }
        if (!byOrdinal.isEmpty()) {
            out.add(indicator("PACKER", "DLLs imported by ordinal only (hides which functions are used)", 1,
                    byOrdinal));
        }
        long ts = pe.timeDateStamp();
        String when = ts + " (" + Instant.ofEpochSecond(ts).atZone(ZoneOffset.UTC).toLocalDateTime() + ")";
        if (ts == 0) {
            out.add(indicator("MALFORMED", "Timestamp is zero", 1, List.of("0")));
        } else if (ts < EARLIEST_PLAUSIBLE_TIMESTAMP) {
            out.add(indicator("MALFORMED", "Timestamp before 1995", 1, List.of(when)));
        } else if (importTime != null && ts > importTime.getEpochSecond()) {
            out.add(indicator("MALFORMED", "Timestamp after the sample was stored", 2,
                    List.of(when, "stored " + importTime)));
        }
        int functions = pe.importedFunctionCount();
        if (functions == 0) {
            out.add(indicator("PACKER", "No imports: functions are resolved at run time", 2, List.of("0")));
        } else if (functions < fewImports) {
            out.add(indicator("PACKER", "Few imports (fewer than " + fewImports + " functions)", 2,
                    List.of(Integer.toString(functions))));
        }
        return out;
    }

    private static PeImage.Section firstCodeSection(PeImage pe) {
        for (PeImage.Section s : pe.sections()) {
            if (s.isCode()) {
                return s;
            }
        }
        return null;
    }

    private static Map<String, Object> indicator(String category, String description, int severity,
                                                 List<String> attributes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("category", category);
        m.put("description", description);
        m.put("severity", severity);
        m.put("attributes", new ArrayList<>(attributes));
        return m;
    }
}
