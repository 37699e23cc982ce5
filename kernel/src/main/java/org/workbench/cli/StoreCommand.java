package org.workbench.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.workbench.Workbench;
import org.workbench.WorkbenchException;
import org.workbench.magic.MagicResult;
import org.workbench.store.TypeTags;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code workbench store FILE [--type TYPE]}: stores a file in the workbench home ({@code $WORKBENCH_HOME}, else
 * {@code ~/.workbench}; the {@code workbench.home} system property wins, see {@link Workbench#defaultHome()}) and
 * prints its MD5 on standard output, nothing else. Storing the same bytes again prints the same MD5.
 *
 * <p>Without {@code --type}, the type tag is guessed from libmagic's answer for the file ({@link #guessType}):
 * {@code pcap}, {@code exe}, {@code pdf}, {@code swf}, {@code jar}, {@code zip}, else {@code unknown}.
 *
 * <p>Bytes already stored keep their first type tag unless it was {@code unknown}; when {@code --type} names
 * a specific tag other than the one kept, a note on standard error says so.
 */
@Command(name = "store", mixinStandardHelpOptions = true,
        description = "Store a file as a sample in the workbench home and print its MD5.")
final class StoreCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The file to store.")
    Path file;

    @Option(names = {"-t", "--type"}, paramLabel = "TYPE",
            description = "Type tag (pcap, exe, pdf, swf, jar, zip, zeek_log, unknown, ...); default: guessed "
                    + "from libmagic.")
    String type;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (!Files.exists(file)) {
            throw new CliException("file not found: " + file);
        }
        if (!Files.isRegularFile(file)) {
            throw new CliException(file + ": not a regular file");
        }
        try (Workbench wb = Workbench.open()) {
            String tag = type != null ? type : guessType(wb.fileMagic().describe(file));
            String md5 = wb.storeSample(file, tag);
            String kept = wb.sampleInfo(md5).typeTag();
            if (type != null && !type.equals(TypeTags.UNKNOWN) && !kept.equals(type)) {
                spec.commandLine().getErr().println("note: " + md5 + " was already stored with type " + kept
                        + "; kept " + kept + " (--type " + type + " ignored)");
                spec.commandLine().getErr().flush();
            }
            spec.commandLine().getOut().println(md5);
            spec.commandLine().getOut().flush();
        } catch (WorkbenchException e) {
            throw cli(e);
        }
        return 0;
    }

    /**
     * The type tag for a file, from libmagic's (or the Tika fallback's) answer: {@code pcap} for libpcap and
     * pcapng captures ({@code application/vnd.tcpdump.pcap}, {@code application/x-pcapng}, or a description
     * naming a pcap/tcpdump capture), {@code jar} for a Java archive (MIME type, or a ZIP whose description says
     * "Java archive"), otherwise {@link TypeTags#forMimeType(String)} ({@code exe}, {@code pdf}, {@code swf},
     * {@code zip}, {@code unknown}).
     *
     * @param m the file's typing
     * @return a type tag
     */
    static String guessType(MagicResult m) {
        String mime = m.mimeType() == null ? "" : m.mimeType().toLowerCase(Locale.ROOT);
        String desc = m.description() == null ? "" : m.description().toLowerCase(Locale.ROOT);
        if (mime.equals("application/vnd.tcpdump.pcap") || mime.equals("application/x-pcap")
                || mime.equals("application/x-pcapng") || desc.startsWith("pcap capture file")
                || desc.startsWith("pcapng capture file") || desc.contains("tcpdump capture file")) {
            return TypeTags.PCAP;
        }
        if (mime.equals("application/zip") && desc.contains("java archive")) {
            return TypeTags.JAR;
        }
        return TypeTags.forMimeType(mime);
    }

    /** A workbench failure as a one-line CLI error (the message already names worker, sample or path). */
    static CliException cli(WorkbenchException e) {
        CliException c = new CliException(e.getMessage());
        c.initCause(e);
        return c;
    }
}
