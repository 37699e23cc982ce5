package org.workbench.pdf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Calendar;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentCatalog;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.pdmodel.encryption.PDEncryption;

/**
 * The structural facts of a PDF that Apache PDFBox 3 can read: whether it opens, encryption, page count, the
 * catalog's {@code /Version} and the document information dictionary (ISO 32000-1 &sect;14.3.3).
 *
 * <p>The file is opened with {@code Loader.loadPDF(RandomAccessReadBufferedFile, "", streamCache)}: PDFBox's
 * lenient parser (it rebuilds a broken cross-reference table by scanning for objects), the empty user password
 * (so documents that are only owner-password protected still open), and a stream cache that uses temporary files
 * only, capped at {@code maxTempBytes}, so large streams do not fill the heap. Nothing is rendered and no
 * stream is decoded.
 *
 * <p>Never throws for bad input: what fails becomes {@code structure_error}.
 */
public final class PdfStructure {
    /** Longest text kept from an information-dictionary entry (characters); longer text is cut. */
    public static final int MAX_TEXT = 4096;

    private PdfStructure() {
    }

    /**
     * Reads a PDF's structure.
     *
     * @param file         the PDF file
     * @param maxTempBytes cap of PDFBox's temporary-file stream cache, in bytes
     * @return a JSON-like map with {@code opened} (boolean: PDFBox parsed it), {@code encrypted} (boolean, or null
     *         when PDFBox could not tell), {@code encryption} (null, or {@code filter}, {@code v}, {@code r},
     *         {@code length_bits}, {@code permissions} from the {@code /Encrypt} dictionary, ISO 32000-1
     *         &sect;7.6.1), {@code page_count} (the page tree's count, or null), {@code catalog_version} (the
     *         catalog's {@code /Version}, or null), {@code info} ({@code title, author, subject, keywords,
     *         creator, producer, creation_date, mod_date, trapped}; dates as ISO 8601 UTC instants when they
     *         parse as PDF dates (&sect;7.9.4), else the raw text; absent entries null) and
     *         {@code structure_error} (null, or what failed)
     */
    public static Map<String, Object> read(Path file, long maxTempBytes) {
        return readNow(file, maxTempBytes);
    }

    /**
     * As {@link #read(Path, long)}, but gives up after a time limit: PDFBox runs on a daemon thread, which is
     * interrupted when the time is up (its file channel then closes, which ends the parse). A deliberately
     * pathological file thus cannot hold a batch.
     *
     * @param file           the PDF file
     * @param maxTempBytes   cap of PDFBox's temporary-file stream cache, in bytes
     * @param timeoutSeconds the time limit, seconds (positive)
     * @return as {@link #read(Path, long)}; on time-out {@code structure_error} says so and the rest is unknown
     * @throws InterruptedException when the calling thread is interrupted while waiting
     */
    public static Map<String, Object> read(Path file, long maxTempBytes, double timeoutSeconds)
            throws InterruptedException {
        FutureTask<Map<String, Object>> task = new FutureTask<>(() -> readNow(file, maxTempBytes));
        Thread t = new Thread(task, "pdfbox-" + file.getFileName());
        t.setDaemon(true);
        t.start();
        try {
            return task.get((long) (timeoutSeconds * 1000), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            Map<String, Object> out = empty();
            out.put("structure_error", "PDFBox gave up: no answer within " + timeoutSeconds + " s");
            return out;
        } catch (InterruptedException e) {
            task.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Map<String, Object> out = empty();
            out.put("structure_error", "PDFBox failed: " + describe(e.getCause()));
            return out;
        }
    }

    private static Map<String, Object> empty() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("opened", false);
        out.put("encrypted", null);
        out.put("encryption", null);
        out.put("page_count", null);
        out.put("catalog_version", null);
        out.put("info", null);
        out.put("structure_error", null);
        return out;
    }

    private static Map<String, Object> readNow(Path file, long maxTempBytes) {
        Map<String, Object> out = empty();
        try (PDDocument doc = Loader.loadPDF(new RandomAccessReadBufferedFile(file.toFile()), "",
                MemoryUsageSetting.setupTempFileOnly(maxTempBytes).streamCache)) {
            out.put("opened", true);
            StringBuilder problems = new StringBuilder();
            try {
                out.put("encrypted", doc.isEncrypted());
                if (doc.isEncrypted()) {
                    out.put("encryption", encryption(doc.getEncryption()));
                }
            } catch (RuntimeException e) {
                note(problems, "encryption dictionary", e);
            }
            try {
                out.put("page_count", doc.getNumberOfPages());
            } catch (RuntimeException e) {
                note(problems, "page tree", e);
            }
            try {
                PDDocumentCatalog catalog = doc.getDocumentCatalog();
                String v = catalog == null ? null : catalog.getVersion();
                out.put("catalog_version", v == null ? null : cut(v));
            } catch (RuntimeException e) {
                note(problems, "catalog", e);
            }
            try {
                out.put("info", info(doc.getDocumentInformation()));
            } catch (RuntimeException e) {
                note(problems, "document information", e);
            }
            if (problems.length() > 0) {
                out.put("structure_error", problems.toString());
            }
        } catch (InvalidPasswordException e) {
            out.put("encrypted", true);
            out.put("structure_error", "encrypted with a user password; PDFBox could not open it: "
                    + e.getMessage());
        } catch (IOException | RuntimeException | StackOverflowError e) {
            out.put("structure_error", "PDFBox could not parse it: " + describe(e));
        }
        return out;
    }

    private static Map<String, Object> encryption(PDEncryption enc) {
        if (enc == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("filter", enc.getFilter());
        m.put("v", enc.getVersion());
        m.put("r", enc.getRevision());
        m.put("length_bits", enc.getLength());
        m.put("permissions", enc.getPermissions());
        return m;
    }

    private static Map<String, Object> info(PDDocumentInformation info) {
        Map<String, Object> m = new LinkedHashMap<>();
        COSDictionary d = info == null ? new COSDictionary() : info.getCOSObject();
        m.put("title", text(d, COSName.TITLE));
        m.put("author", text(d, COSName.AUTHOR));
        m.put("subject", text(d, COSName.SUBJECT));
        m.put("keywords", text(d, COSName.KEYWORDS));
        m.put("creator", text(d, COSName.CREATOR));
        m.put("producer", text(d, COSName.PRODUCER));
        m.put("creation_date", date(d, COSName.CREATION_DATE, info == null ? null : safeDate(info, true)));
        m.put("mod_date", date(d, COSName.MOD_DATE, info == null ? null : safeDate(info, false)));
        m.put("trapped", text(d, COSName.TRAPPED));
        return m;
    }

    private static Calendar safeDate(PDDocumentInformation info, boolean creation) {
        try {
            return creation ? info.getCreationDate() : info.getModificationDate();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String text(COSDictionary d, COSName key) {
        COSBase v = d.getDictionaryObject(key);
        if (v instanceof COSString s) {
            return cut(s.getString());
        }
        if (v instanceof COSName n) {
            return cut(n.getName());
        }
        return null;
    }

    private static String date(COSDictionary d, COSName key, Calendar parsed) {
        if (parsed != null) {
            return parsed.toInstant().toString();
        }
        return text(d, key);
    }

    private static String cut(String s) {
        return s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT);
    }

    private static void note(StringBuilder problems, String what, RuntimeException e) {
        if (problems.length() > 0) {
            problems.append("; ");
        }
        problems.append(what).append(": ").append(describe(e));
    }

    static String describe(Throwable e) {
        String msg = e.getMessage();
        return e.getClass().getSimpleName() + (msg == null || msg.isBlank() ? "" : ": " + msg);
    }
}
