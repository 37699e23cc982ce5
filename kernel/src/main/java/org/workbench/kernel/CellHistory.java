package org.workbench.kernel;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager;

/**
 * The cells executed in this kernel session, answering Jupyter's {@code history_request}
 * (messaging protocol 5.x, "History"): {@code range} (cells {@code start <= n < stop} of session
 * 0 = this session, or of this session's number {@value #SESSION}; {@code stop <= 0} means to the
 * end), {@code tail} (the last {@code n}) and {@code search} (glob pattern with {@code *} and
 * {@code ?} over the cell source, the last {@code n} matches, optionally unique). Entries carry the
 * cell's execution count, its source and, when asked, the text/plain form of its result. Only
 * this session is kept; earlier sessions answer empty.
 */
public final class CellHistory implements HistoryManager {
    /** Session number this kernel reports for its own cells. */
    public static final int SESSION = 1;

    private record Cell(int count, String input, String output) {
    }

    private final List<Cell> cells = new ArrayList<>();

    /**
     * Records an executed cell.
     *
     * @param count execution count
     * @param input cell source
     * @param output text/plain of its result, or null
     */
    public synchronized void add(int count, String input, String output) {
        cells.add(new Cell(count, input, output));
    }

    /** @return how many cells are recorded */
    public synchronized int size() {
        return cells.size();
    }

    @Override
    public synchronized List<HistoryEntry> lookupRange(int session, int start, int stop, Set<ResultFlag> flags) {
        if (session != 0 && session != SESSION) {
            return List.of();
        }
        List<HistoryEntry> out = new ArrayList<>();
        for (Cell c : cells) {
            if (c.count >= start && (stop <= 0 || c.count < stop)) {
                out.add(entry(c, flags));
            }
        }
        return out;
    }

    @Override
    public synchronized List<HistoryEntry> lookupTail(int length, Set<ResultFlag> flags) {
        List<HistoryEntry> out = new ArrayList<>();
        for (Cell c : cells.subList(Math.max(0, cells.size() - Math.max(0, length)), cells.size())) {
            out.add(entry(c, flags));
        }
        return out;
    }

    @Override
    public synchronized List<HistoryEntry> search(String glob, int length, Set<ResultFlag> flags) {
        Pattern p = globPattern(glob == null || glob.isEmpty() ? "*" : glob);
        boolean unique = flags.contains(ResultFlag.UNIQUE);
        List<Cell> hits = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (int i = cells.size() - 1; i >= 0; i--) {
            Cell c = cells.get(i);
            if (p.matcher(c.input).matches() && (!unique || seen.add(c.input))) {
                hits.add(0, c);
            }
        }
        int n = length <= 0 ? hits.size() : Math.min(length, hits.size());
        List<HistoryEntry> out = new ArrayList<>();
        for (Cell c : hits.subList(hits.size() - n, hits.size())) {
            out.add(entry(c, flags));
        }
        return out;
    }

    private static HistoryEntry entry(Cell c, Set<ResultFlag> flags) {
        return flags.contains(ResultFlag.INCLUDE_OUTPUT)
                ? new HistoryEntry(SESSION, c.count, c.input, c.output == null ? "" : c.output)
                : new HistoryEntry(SESSION, c.count, c.input, null);
    }

    /** IPython-style glob: {@code *} any text (newlines too), {@code ?} one character. */
    static Pattern globPattern(String glob) {
        StringBuilder re = new StringBuilder();
        for (char ch : glob.toCharArray()) {
            if (ch == '*') {
                re.append(".*");
            } else if (ch == '?') {
                re.append('.');
            } else {
                re.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
