package org.workbench.pe;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Numeric and categorical features of a {@link PeImage} for similarity work, as a JSON-like map. Field meanings
 * are those of the Microsoft PE/COFF specification (COFF file header, optional header); sizes are in bytes,
 * {@code timestamp} in seconds since 1970-01-01 UTC, {@code entropy} in bits per byte.
 *
 * <p>Keys: {@code pe_type} ({@code PE32} or {@code PE32+}), {@code machine}, {@code characteristics},
 * {@code timestamp}, {@code subsystem}, {@code dll_characteristics}, {@code entry_point} (RVA),
 * {@code image_base}, {@code section_alignment}, {@code file_alignment}, {@code size_of_code},
 * {@code size_of_initialized_data}, {@code size_of_uninitialized_data}, {@code size_of_image},
 * {@code size_of_headers}, {@code size_of_stack_reserve}, {@code size_of_stack_commit},
 * {@code size_of_heap_reserve}, {@code size_of_heap_commit}, {@code major_linker_version},
 * {@code minor_linker_version}, {@code major_os_version}, {@code minor_os_version}, {@code major_image_version},
 * {@code minor_image_version}, {@code major_subsystem_version}, {@code minor_subsystem_version},
 * {@code checksum_declared}, {@code checksum_computed}, {@code number_of_sections} (as the COFF header
 * declares), {@code sections} (list of {@code {name, entropy, raw_size, virtual_size, characteristics}} in file
 * order), {@code import_dll_count}, {@code imported_function_count}, {@code export_count},
 * {@code resource_count}, {@code resource_types} (list of strings), {@code overlay_size}, {@code file_size}.
 */
public final class PeFeatureExtractor {
    private PeFeatureExtractor() {
    }

    /**
     * @param pe the parsed image
     * @return the features (a fresh mutable map)
     */
    public static Map<String, Object> features(PeImage pe) {
        var oh = pe.optionalHeader();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pe_type", pe.isPe32Plus() ? "PE32+" : "PE32");
        m.put("machine", pe.machine());
        m.put("characteristics", pe.characteristics());
        m.put("timestamp", pe.timeDateStamp());
        m.put("subsystem", oh.getSubsystem());
        m.put("dll_characteristics", oh.getDllCharacteristics());
        m.put("entry_point", pe.entryPoint());
        m.put("image_base", unsigned(pe.imageBase()));
        m.put("section_alignment", pe.sectionAlignment());
        m.put("file_alignment", pe.fileAlignment());
        m.put("size_of_code", u32(oh.getSizeOfCode()));
        m.put("size_of_initialized_data", u32(oh.getSizeOfInitializedData()));
        m.put("size_of_uninitialized_data", u32(oh.getSizeOfUninitializedData()));
        m.put("size_of_image", u32(oh.getSizeOfImage()));
        m.put("size_of_headers", u32(oh.getSizeOfHeaders()));
        m.put("size_of_stack_reserve", unsigned(pe.sizeOfStackReserve()));
        m.put("size_of_stack_commit", unsigned(pe.sizeOfStackCommit()));
        m.put("size_of_heap_reserve", unsigned(pe.sizeOfHeapReserve()));
        m.put("size_of_heap_commit", unsigned(pe.sizeOfHeapCommit()));
        m.put("major_linker_version", oh.getMajorLinkerVersion());
        m.put("minor_linker_version", oh.getMinorLinkerVersion());
        m.put("major_os_version", oh.getMajorOperatingSystemVersion());
        m.put("minor_os_version", oh.getMinorOperatingSystemVersion());
        m.put("major_image_version", oh.getMajorImageVersion());
        m.put("minor_image_version", oh.getMinorImageVersion());
        m.put("major_subsystem_version", oh.getMajorSubsystemVersion());
        m.put("minor_subsystem_version", oh.getMinorSubsystemVersion());
        m.put("checksum_declared", pe.declaredChecksum());
        m.put("checksum_computed", pe.computedChecksum());
        m.put("number_of_sections", pe.declaredSectionCount());
        List<Map<String, Object>> sections = new ArrayList<>();
        for (PeImage.Section s : pe.sections()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("name", s.name());
            x.put("entropy", Math.round(s.entropy() * 1e6) / 1e6);
            x.put("raw_size", s.sizeOfRawData());
            x.put("virtual_size", s.virtualSize());
            x.put("characteristics", s.characteristics());
            sections.add(x);
        }
        m.put("sections", sections);
        m.put("import_dll_count", pe.imports().size());
        m.put("imported_function_count", pe.importedFunctionCount());
        m.put("export_count", pe.exportCount());
        m.put("resource_count", pe.resources().count());
        m.put("resource_types", new ArrayList<>(pe.resources().types()));
        m.put("overlay_size", pe.overlaySize());
        m.put("file_size", pe.fileSize());
        return m;
    }

    private static long u32(int v) {
        return Integer.toUnsignedLong(v);
    }

    private static Number unsigned(long v) {
        return v >= 0 ? (Number) v : new BigInteger(Long.toUnsignedString(v));
    }
}
