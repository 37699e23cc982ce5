package org.workbench.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.workbench.InvalidInputException;

/**
 * Typed view of a {@code pe_features} result (see {@link PeFeaturesWorker} and
 * {@link org.workbench.pe.PeFeatureExtractor}); sizes in bytes, {@code timestamp} in seconds since 1970-01-01
 * UTC. When the file was not a PE, {@link #error()} says why and every other component is zero, null or empty
 * ({@link #isPe()} false).
 *
 * @param peType                  {@code PE32} or {@code PE32+}; null when not a PE
 * @param machine                 COFF Machine
 * @param characteristics         COFF Characteristics
 * @param timestamp               COFF TimeDateStamp
 * @param subsystem               optional header Subsystem
 * @param dllCharacteristics      optional header DllCharacteristics
 * @param entryPoint              AddressOfEntryPoint (RVA)
 * @param imageBase               ImageBase (as a long; a value above 2^63 wraps)
 * @param sectionAlignment        SectionAlignment
 * @param fileAlignment           FileAlignment
 * @param sizeOfCode              SizeOfCode
 * @param sizeOfInitializedData   SizeOfInitializedData
 * @param sizeOfUninitializedData SizeOfUninitializedData
 * @param sizeOfImage             SizeOfImage
 * @param sizeOfHeaders           SizeOfHeaders
 * @param majorLinkerVersion      MajorLinkerVersion
 * @param minorLinkerVersion      MinorLinkerVersion
 * @param majorOsVersion          MajorOperatingSystemVersion
 * @param minorOsVersion          MinorOperatingSystemVersion
 * @param majorImageVersion       MajorImageVersion
 * @param minorImageVersion       MinorImageVersion
 * @param majorSubsystemVersion   MajorSubsystemVersion
 * @param minorSubsystemVersion   MinorSubsystemVersion
 * @param checksumDeclared        CheckSum from the optional header
 * @param checksumComputed        the checksum computed over the file
 * @param numberOfSections        NumberOfSections as declared
 * @param sections                the section headers read, in file order
 * @param importDllCount          number of imported DLLs
 * @param importedFunctionCount   number of imported functions
 * @param exportCount             number of exported functions
 * @param resourceCount           number of resources
 * @param resourceTypes           resource types ({@code RT_ICON}, ..., ids or names)
 * @param overlaySize             bytes after the last section
 * @param fileSize                file size
 * @param error                   why the file is not a PE or how it is damaged; null when there is no problem
 */
public record PeFeatures(String peType, int machine, int characteristics, long timestamp, int subsystem,
                         int dllCharacteristics, long entryPoint, long imageBase, long sectionAlignment,
                         long fileAlignment, long sizeOfCode, long sizeOfInitializedData,
                         long sizeOfUninitializedData, long sizeOfImage, long sizeOfHeaders, int majorLinkerVersion,
                         int minorLinkerVersion, int majorOsVersion, int minorOsVersion, int majorImageVersion,
                         int minorImageVersion, int majorSubsystemVersion, int minorSubsystemVersion,
                         long checksumDeclared, long checksumComputed, int numberOfSections, List<Section> sections,
                         int importDllCount, int importedFunctionCount, int exportCount, int resourceCount,
                         List<String> resourceTypes, long overlaySize, long fileSize, String error) {
    /**
     * One section's features.
     *
     * @param name            section name
     * @param entropy         bits per byte of its raw data in the file
     * @param rawSize         SizeOfRawData
     * @param virtualSize     VirtualSize
     * @param characteristics IMAGE_SCN_* flags
     */
    public record Section(String name, double entropy, long rawSize, long virtualSize, long characteristics) {
    }

    /** @return whether the file was parsed as a PE ({@link #peType()} set) */
    public boolean isPe() {
        return peType != null;
    }

    /** @return whether the image is PE32+ (64-bit) */
    public boolean isPe32Plus() {
        return "PE32+".equals(peType);
    }

    /**
     * @param r a {@code pe_features} result
     * @return its typed view
     * @throws InvalidInputException when a key has the wrong type
     */
    public static PeFeatures from(Map<String, Object> r) {
        Object e = r.get("error");
        if (e != null && !(e instanceof String)) {
            throw new InvalidInputException("not a pe_features result: 'error' is not a string");
        }
        if (!r.containsKey("pe_type")) {
            if (e == null) {
                throw new InvalidInputException("not a pe_features result: neither 'pe_type' nor 'error'");
            }
            return new PeFeatures(null, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                    List.of(), 0, 0, 0, 0, List.of(), 0, 0, (String) e);
        }
        List<Section> sections = new ArrayList<>();
        for (Object o : list(r, "sections")) {
            if (!(o instanceof Map<?, ?> s)) {
                throw new InvalidInputException("not a pe_features result: a section is not a map");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) s;
            if (!(m.get("name") instanceof String name)) {
                throw new InvalidInputException("not a pe_features result: a section has no name");
            }
            sections.add(new Section(name, num(m, "entropy").doubleValue(), num(m, "raw_size").longValue(),
                    num(m, "virtual_size").longValue(), num(m, "characteristics").longValue()));
        }
        if (!(r.get("pe_type") instanceof String type)) {
            throw new InvalidInputException("not a pe_features result: 'pe_type' is not a string");
        }
        return new PeFeatures(type, i(r, "machine"), i(r, "characteristics"), l(r, "timestamp"), i(r, "subsystem"),
                i(r, "dll_characteristics"), l(r, "entry_point"), l(r, "image_base"), l(r, "section_alignment"),
                l(r, "file_alignment"), l(r, "size_of_code"), l(r, "size_of_initialized_data"),
                l(r, "size_of_uninitialized_data"), l(r, "size_of_image"), l(r, "size_of_headers"),
                i(r, "major_linker_version"), i(r, "minor_linker_version"), i(r, "major_os_version"),
                i(r, "minor_os_version"), i(r, "major_image_version"), i(r, "minor_image_version"),
                i(r, "major_subsystem_version"), i(r, "minor_subsystem_version"), l(r, "checksum_declared"),
                l(r, "checksum_computed"), i(r, "number_of_sections"), List.copyOf(sections), i(r, "import_dll_count"),
                i(r, "imported_function_count"), i(r, "export_count"), i(r, "resource_count"),
                list(r, "resource_types").stream().map(String::valueOf).toList(), l(r, "overlay_size"),
                l(r, "file_size"), (String) e);
    }

    private static Number num(Map<String, Object> m, String k) {
        if (!(m.get(k) instanceof Number n)) {
            throw new InvalidInputException("not a pe_features result: '" + k + "' is missing or not a number");
        }
        return n;
    }

    private static int i(Map<String, Object> m, String k) {
        return num(m, k).intValue();
    }

    private static long l(Map<String, Object> m, String k) {
        return num(m, k).longValue();
    }

    private static List<?> list(Map<String, Object> m, String k) {
        if (!(m.get(k) instanceof List<?> l)) {
            throw new InvalidInputException("not a pe_features result: '" + k + "' is missing or not a list");
        }
        return l;
    }
}
