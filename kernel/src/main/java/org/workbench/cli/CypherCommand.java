package org.workbench.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.workbench.Workbench;
import org.workbench.WorkbenchException;
import org.workbench.graph.GraphConfig;
import org.workbench.graph.GraphStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code workbench cypher "QUERY" [--param KEY=VALUE ...]}: runs one Cypher statement against the configured
 * graph store and prints each result record as one JSON object per line on standard output, keys in the order
 * the statement returns them. Nodes print as {@code {"id", "labels", "properties"}}, relationships as
 * {@code {"id", "type", "start", "end", "properties"}}, paths as {@code {"nodes", "relationships"}} (see
 * {@link GraphStore#records}).
 *
 * <p>The graph is the one {@link Workbench#graph()} uses: a server when {@value GraphConfig#URI_PROPERTY} or
 * {@value GraphConfig#URI_ENV} (with user and password) is set, else the embedded database under
 * {@code HOME/graph} of the default workbench home (started for the command, a few seconds). {@code --param
 * KEY=VALUE} sets {@code $KEY}; VALUE is read as JSON when it is valid JSON ({@code 3}, {@code true},
 * {@code ["a","b"]}, {@code "x"}) and as a plain string otherwise ({@code ip=192.168.22.10}).
 *
 * <p>A statement the database rejects (syntax error, unknown function, missing parameter) prints
 * {@code workbench: graph query failed (URI): EXPLANATION in: STATEMENT} on standard error and exits 1, as does
 * an unreachable server or refused credentials.
 */
@Command(name = "cypher", mixinStandardHelpOptions = true,
        description = "Run a Cypher statement on the graph store and print each record as a JSON line.")
final class CypherCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    @Parameters(index = "0", paramLabel = "QUERY", description = "The Cypher statement.")
    String query;

    @Option(names = {"-p", "--param"}, paramLabel = "KEY=VALUE",
            description = "Set parameter $KEY (VALUE is JSON if it parses, else a string). Repeatable.")
    Map<String, String> params = new LinkedHashMap<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws JsonProcessingException {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Object> p = new LinkedHashMap<>();
        params.forEach((k, v) -> p.put(k, value(v)));
        GraphConfig config = GraphConfig.resolve(Workbench.defaultHome().resolve("graph"));
        try (GraphStore g = GraphStore.open(config)) {
            List<Map<String, Object>> rows = g.records(query, p);
            for (Map<String, Object> row : rows) {
                out.println(JSON.writeValueAsString(row));
            }
            out.flush();
        } catch (WorkbenchException e) {
            throw StoreCommand.cli(e);
        }
        return 0;
    }

    /** VALUE as JSON when it parses, else the plain string. */
    private static Object value(String v) {
        try {
            return JSON.readValue(v, Object.class);
        } catch (JsonProcessingException e) {
            return v;
        }
    }
}
