package org.workbench.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.workbench.Workbench;
import org.workbench.WorkbenchException;
import org.workbench.worker.Worker;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code workbench workers [--json]}: lists the registered workers, sorted by name, with their version, the
 * workers they depend on, the sample types they accept ({@code any} when all) and a one-line description
 * ({@link Worker#description()}), then the aliases ({@code pcap_bro -> pcap_zeek}).
 *
 * <p>With {@code --json}: one JSON document per worker per line, {@code {"name", "version", "dependencies",
 * "accepted_types", "settings" (setting to default value), "description", "aliases"}}.
 */
@Command(name = "workers", mixinStandardHelpOptions = true,
        description = "List the workers with their dependencies and a one-line description.")
final class WorkersCommand implements Callable<Integer> {
    @Option(names = "--json", description = "One JSON document per worker per line.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (Workbench wb = Workbench.open()) {
            List<Worker> workers = wb.registry().workers();
            Map<String, String> aliases = new TreeMap<>(wb.registry().aliases());
            if (json) {
                ObjectMapper mapper = new ObjectMapper();
                for (Worker w : workers) {
                    Map<String, Object> d = new LinkedHashMap<>();
                    d.put("name", w.name());
                    d.put("version", w.version());
                    d.put("dependencies", w.dependencies());
                    d.put("accepted_types", new TreeSet<>(w.acceptedTypes()));
                    d.put("settings", w.defaultConfig());
                    d.put("description", w.description());
                    List<String> as = new ArrayList<>();
                    aliases.forEach((a, t) -> {
                        if (t.equals(w.name())) {
                            as.add(a);
                        }
                    });
                    d.put("aliases", as);
                    out.println(mapper.writeValueAsString(d));
                }
            } else {
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"WORKER", "VERSION", "DEPENDS ON", "TYPES", "DESCRIPTION"});
                for (Worker w : workers) {
                    rows.add(new String[] {w.name(), w.version(),
                        w.dependencies().isEmpty() ? "-" : String.join(",", w.dependencies()),
                        w.acceptedTypes().isEmpty() ? "any" : String.join(",", new TreeSet<>(w.acceptedTypes())),
                        oneLine(w.description())});
                }
                TextTable.print(out, rows, Set.of());
                if (!aliases.isEmpty()) {
                    out.println();
                    out.println("Aliases:");
                    aliases.forEach((a, t) -> out.println("  " + a + " -> " + t));
                }
            }
            out.flush();
        } catch (WorkbenchException e) {
            throw StoreCommand.cli(e);
        }
        return 0;
    }

    private static String oneLine(String s) {
        return s == null || s.isBlank() ? "(no description)" : s.strip().replaceAll("\\s+", " ");
    }
}
