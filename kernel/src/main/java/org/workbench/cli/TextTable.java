package org.workbench.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Set;

/** Plain-text tables of the command line: columns padded to their widest cell, two spaces apart. */
final class TextTable {
    private TextTable() {
    }

    /**
     * Prints rows (the first is the header) with every column but the last padded to its widest cell and two
     * spaces between columns; the last column is free-form. Trailing spaces are cut.
     *
     * @param out          where to print
     * @param rows         the rows, all of the same length
     * @param rightAligned indexes of the columns aligned right (numbers)
     */
    static void print(PrintWriter out, List<String[]> rows, Set<Integer> rightAligned) {
        int columns = rows.get(0).length;
        int[] width = new int[columns - 1];
        for (String[] r : rows) {
            for (int i = 0; i < columns - 1; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < columns - 1; i++) {
                String pad = " ".repeat(width[i] - r[i].length());
                sb.append(rightAligned.contains(i) ? pad + r[i] : r[i] + pad).append("  ");
            }
            out.println(sb.append(r[columns - 1]).toString().stripTrailing());
        }
    }
}
