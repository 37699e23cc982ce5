package org.workbench.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.workbench.Workbench;
import org.workbench.WorkbenchException;
import org.workbench.store.SampleInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code workbench samples [--type T] [--json] [MD5...]}: lists the samples stored in the workbench home, oldest
 * first, as a table of MD5, type tag, size (bytes), import time (ISO 8601 UTC) and the file names the bytes were
 * stored under (quoted when they hold control characters); with MD5s, only those samples (an unknown MD5 is an error, exit 1).
 *
 * <p>With {@code --json}: one JSON document per sample per line, {@code {"md5", "sha1", "sha256", "file_size"
 * (bytes), "filename", "filenames", "type_tag", "import_time"}}, the field names of the {@code meta} worker.
 */
@Command(name = "samples", mixinStandardHelpOptions = true,
        description = "List the stored samples (MD5, type, size, import time, names).")
final class SamplesCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MD5", arity = "0..*", description = "Only these samples.")
    List<String> md5s = new ArrayList<>();

    @Option(names = {"-t", "--type"}, paramLabel = "TYPE", description = "Only samples with this type tag.")
    String type;

    @Option(names = "--json", description = "One JSON document per sample per line.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (Workbench wb = Workbench.open()) {
            List<SampleInfo> samples = new ArrayList<>();
            if (md5s.isEmpty()) {
                samples.addAll(wb.listSamples());
            } else {
                for (String m : md5s) {
                    samples.add(wb.sampleInfo(m.toLowerCase(Locale.ROOT)));
                }
            }
            if (type != null) {
                samples.removeIf(s -> !s.typeTag().equals(type));
            }
            if (json) {
                ObjectMapper mapper = new ObjectMapper();
                for (SampleInfo s : samples) {
                    Map<String, Object> d = new LinkedHashMap<>();
                    d.put("md5", s.md5());
                    d.put("sha1", s.sha1());
                    d.put("sha256", s.sha256());
                    d.put("file_size", s.fileSize());
                    d.put("filename", s.filename());
                    d.put("filenames", s.filenames());
                    d.put("type_tag", s.typeTag());
                    d.put("import_time", s.importTimeIso());
                    out.println(mapper.writeValueAsString(d));
                }
            } else {
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"MD5", "TYPE", "BYTES", "IMPORTED", "NAMES"});
                for (SampleInfo s : samples) {
                    List<String> names = new ArrayList<>();
                    s.filenames().forEach(n -> names.add(PrettyText.text(n)));
                    rows.add(new String[] {s.md5(), s.typeTag(), Long.toString(s.fileSize()), s.importTimeIso(),
                        String.join(", ", names)});
                }
                TextTable.print(out, rows, Set.of(2));
            }
            out.flush();
        } catch (WorkbenchException e) {
            throw StoreCommand.cli(e);
        }
        return 0;
    }
}
