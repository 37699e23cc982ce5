package org.workbench.worker;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.workbench.pdf.PdfKeywordScanner;
import org.workbench.pdf.PdfStructure;
import org.workbench.store.SampleInfo;
import org.workbench.store.SampleStore;
import org.workbench.store.TypeTags;

/**
 * {@code pdf_meta}: a PDF's version, page count, encryption, document information and the keyword counts
 * analysts triage on. Applies to samples tagged {@value TypeTags#PDF} and, when built with a store, to any sample
 * with the {@code %PDF-} header within its first 1024 bytes. No dependencies.
 *
 * <p>Two independent passes: a raw streaming keyword scan ({@link PdfKeywordScanner}, {@code pdfid}-style, always
 * run, never fails on malformed input) and PDFBox's structural reading ({@link PdfStructure}). A failure of
 * either becomes an entry in the result; the keyword counts are returned whatever PDFBox thinks of the file.
 *
 * <p>Result keys: {@code file_size} (bytes); {@code version} (from the {@code %PDF-x.y} header, or null);
 * {@code header_offset} (bytes before the header, or null); {@code catalog_version} (the catalog's
 * {@code /Version}, which overrides the header, ISO 32000-1 &sect;7.7.2, or null); {@code opened} (PDFBox parsed
 * it); {@code encrypted} (PDFBox's answer, or, when PDFBox could not tell, whether an {@code /Encrypt} keyword
 * occurs); {@code encryption} (null or {@code filter, v, r, length_bits, permissions}); {@code page_count} (or
 * null); {@code info} ({@code title, author, subject, keywords, creator, producer, creation_date, mod_date,
 * trapped}, or null when PDFBox could not open the file); {@code keywords} (each keyword of
 * {@link PdfKeywordScanner#KEYWORDS} to its count); {@code hex_escaped} (keyword to the number of its occurrences
 * written with {@code #xx} escapes, non-zero only); {@code risky} (the keywords of
 * {@link PdfKeywordScanner#RISKY} that occur, in that order); {@code eof_markers}; {@code error} (null, or what is
 * wrong with the input: empty, no header, unreadable) and {@code structure_error} (null, or why PDFBox failed or
 * what part of the structure it could not read). {@link PdfMeta#from(Map)} gives a typed view.
 *
 * <p>Settings: {@code structure} (default true; false skips PDFBox), {@code max_temp_bytes} (default 256 MiB:
 * the cap of PDFBox's temporary-file stream cache, bytes), {@code structure_timeout_seconds} (default 120: PDFBox
 * is given up on after that long, see {@link PdfStructure#read(java.nio.file.Path, long, double)}).
 */
public final class PdfMetaWorker implements Worker {
    /** The worker's name. */
    public static final String NAME = "pdf_meta";

    private final SampleStore store;

    /** A worker that applies to samples tagged {@value TypeTags#PDF} only. */
    public PdfMetaWorker() {
        this(null);
    }

    /**
     * @param store the store whose samples this worker may be asked about, to recognise untagged PDFs by their
     *              header; null to go by the type tag alone
     */
    public PdfMetaWorker(SampleStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "PDF version, pages, encryption, document info and counts of risky keywords (/JS, /OpenAction, ...)";
    }

    @Override
    public String version() {
        return "1.0";
    }

    @Override
    public Set<String> acceptedTypes() {
        return Set.of(TypeTags.PDF);
    }

    @Override
    public boolean accepts(SampleInfo sample) {
        if (TypeTags.PDF.equals(sample.typeTag())) {
            return true;
        }
        return store != null && store.headMatches(sample.md5(), PdfKeywordScanner.HEADER_WINDOW + 5,
                PdfKeywordScanner::hasPdfHeader);
    }

    @Override
    public Map<String, Object> defaultConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("structure", true);
        c.put("max_temp_bytes", 256L * 1024 * 1024);
        c.put("structure_timeout_seconds", 120);
        return c;
    }

    @Override
    public Map<String, Object> execute(WorkerContext ctx) throws Exception {
        boolean structure = ctx.config("structure", Boolean.class);
        long maxTemp = ctx.config("max_temp_bytes", Number.class).longValue();
        double timeout = ctx.config("structure_timeout_seconds", Number.class).doubleValue();
        if (!(timeout > 0)) {
            throw new org.workbench.InvalidInputException("setting 'structure_timeout_seconds' of worker '" + NAME
                    + "' must be positive, got " + timeout);
        }
        long size = ctx.sample().fileSize();

        List<String> errors = new ArrayList<>();
        PdfKeywordScanner.Result scan;
        try (InputStream in = ctx.openSample()) {
            scan = PdfKeywordScanner.scan(in, ctx::isCancelled);
        }
        ctx.checkCancelled();
        if (size == 0) {
            errors.add("empty file: 0 bytes");
        } else if (scan.headerOffset() < 0) {
            errors.add("no %PDF- header in the first " + PdfKeywordScanner.HEADER_WINDOW + " bytes: not a PDF");
        } else if (scan.headerVersion() == null) {
            errors.add("the %PDF- header at offset " + scan.headerOffset() + " has no version number");
        }
        if (scan.headerOffset() >= 0 && scan.eofMarkers() == 0) {
            errors.add("no %%EOF marker: truncated?");
        }

        Map<String, Object> st = null;
        if (structure && size > 0 && scan.headerOffset() >= 0) {
            st = PdfStructure.read(ctx.samplePath(), maxTemp, timeout);
        }

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("file_size", size);
        out.put("version", scan.headerVersion());
        out.put("header_offset", scan.headerOffset() < 0 ? null : scan.headerOffset());
        out.put("catalog_version", st == null ? null : st.get("catalog_version"));
        out.put("opened", st != null && Boolean.TRUE.equals(st.get("opened")));
        Object encrypted = st == null ? null : st.get("encrypted");
        out.put("encrypted", encrypted != null ? encrypted : scan.count("/Encrypt") > 0);
        out.put("encryption", st == null ? null : st.get("encryption"));
        out.put("page_count", st == null ? null : st.get("page_count"));
        out.put("info", st == null ? null : st.get("info"));
        out.put("keywords", new LinkedHashMap<>(scan.counts()));
        out.put("hex_escaped", new LinkedHashMap<>(scan.hexEscaped()));
        List<String> risky = new ArrayList<>();
        for (String k : PdfKeywordScanner.RISKY) {
            if (scan.count(k) > 0) {
                risky.add(k);
            }
        }
        out.put("risky", risky);
        out.put("eof_markers", scan.eofMarkers());
        out.put("error", errors.isEmpty() ? null : String.join("; ", errors));
        String structureError = st == null
                ? (structure && size > 0 ? "not parsed: no %PDF- header" : structure ? "not parsed: empty file"
                        : null)
                : (String) st.get("structure_error");
        out.put("structure_error", structureError);
        return out;
    }
}
