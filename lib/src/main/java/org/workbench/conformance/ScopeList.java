package org.workbench.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cases outside the project's scope, read from a tab-separated file ({@code conformance/out-of-scope.tsv}):
 * one line per case, {@code CASE<TAB>REASON}, the reason naming the protocol or encapsulation the case needs.
 * Blank lines and lines starting with {@code #} are ignored. Every other case is in scope.
 */
public final class ScopeList {
    /** The scope file's path in the project. */
    public static final String PROJECT_PATH = "conformance/out-of-scope.tsv";

    private final Map<String, String> outOfScope;

    private ScopeList(Map<String, String> outOfScope) {
        this.outOfScope = Collections.unmodifiableMap(outOfScope);
    }

    /** A list with every case in scope. */
    public static ScopeList allInScope() {
        return new ScopeList(new LinkedHashMap<>());
    }

    /**
     * Reads a scope file.
     *
     * @throws IOException when it cannot be read, or a line has no reason or names a case twice (message names
     *                     the line)
     */
    public static ScopeList read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int tab = line.indexOf('\t');
            String name = tab < 0 ? line.strip() : line.substring(0, tab).strip();
            String reason = tab < 0 ? "" : line.substring(tab + 1).strip();
            if (reason.isEmpty()) {
                throw new IOException(file + ":" + (i + 1) + ": no reason given for " + name);
            }
            if (out.put(name, reason) != null) {
                throw new IOException(file + ":" + (i + 1) + ": " + name + " listed twice");
            }
        }
        return new ScopeList(out);
    }

    /**
     * Finds the project's scope file: {@link #PROJECT_PATH} below the given directory or one of its parents.
     *
     * @return the file, or null when there is none
     */
    public static Path find(Path start) {
        for (Path d = start.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
            Path f = d.resolve(PROJECT_PATH);
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        return null;
    }

    /** Whether a case is in scope (not listed). */
    public boolean inScope(String caseName) {
        return !outOfScope.containsKey(caseName);
    }

    /** The reason a case is out of scope, or null when it is in scope. */
    public String reason(String caseName) {
        return outOfScope.get(caseName);
    }

    /** The listed cases and their reasons, in file order. */
    public Map<String, String> outOfScope() {
        return outOfScope;
    }
}
