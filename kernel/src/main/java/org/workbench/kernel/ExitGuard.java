package org.workbench.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds calls in cell code that would end the Java process the cells run in. JShell runs cells in the kernel's
 * own JVM ({@code LocalExecutionControl}), so {@code System.exit(3)} in a cell would end the Jupyter kernel, or a
 * headless {@code workbench notebook run} with status 3 and no notebook written. {@link JavaEvaluator} asks this
 * class about every snippet before it runs it and refuses the snippet when a call is found.
 *
 * <p>What is found, written directly in the code (with any spacing or comments between the parts):
 * {@code System.exit(...)} (also {@code java.lang.System.exit(...)}), {@code Runtime.getRuntime().exit(...)},
 * {@code Runtime.getRuntime().halt(...)}, the method references {@code System::exit} and
 * {@code Runtime.getRuntime()::exit} / {@code ::halt}, and {@code import static java.lang.System.exit}. The text of
 * comments, string and character literals and text blocks is ignored, so {@code "System.exit(1)"} in a string or
 * a comment is not a call. Declaring a method whose body calls {@code System.exit} is refused too, since calling
 * it would end the process.
 *
 * <p>Not found: calls made through a variable ({@code Runtime rt = Runtime.getRuntime(); rt.exit(0)}), through
 * reflection, through {@code import static java.lang.System.*} followed by a bare {@code exit(0)}, or inside
 * library code a cell calls. Those still end the process. (A {@code SecurityManager} would catch them, but on
 * Java 17 installing one prints a deprecation warning and changes how libraries such as Netty and Neo4j behave.)
 */
public final class ExitGuard {
    /** Error name ({@link CellError#ename()}) of a snippet refused because it would end the process. */
    public static final String ENAME = "ExitRefused";

    /**
     * A call found in code.
     *
     * @param call the call as written, with blanks collapsed and comments left out, e.g. {@code System.exit(3)};
     *             long argument lists are cut with {@code ...}
     * @param offset offset (chars) in the code where the call starts
     */
    public record Found(String call, int offset) {
        /** @return the one-line message of the refusal */
        public String message() {
            return call + " would end the kernel, so it is not run: restart the kernel instead"
                    + " (or throw an exception to stop a run)";
        }
    }

    /** Longest argument text quoted in {@link Found#call()}. */
    static final int MAX_ARGS = 40;

    private ExitGuard() {
    }

    private enum Kind { WORD, PUNCT }

    private record Token(Kind kind, String text, int start, int end) {
        boolean is(String s) {
            return text.equals(s);
        }
    }

    /**
     * Looks for the first call that would end the process.
     *
     * @param code Java code: one or more statements or declarations (a JShell snippet or a whole cell)
     * @return the first call found, if any
     */
    public static Optional<Found> find(String code) {
        // the compiler reads unicode escapes first (JLS 3.3), so System.\u0065xit is System.exit
        code = unicodeEscapesTranslated(code);
        List<Token> t = tokens(code);
        for (int i = 0; i < t.size(); i++) {
            // System.exit( / System.exit; (static import) / System::exit
            if (t.get(i).is("System") && i + 2 < t.size() && t.get(i + 2).is("exit")
                    && (t.get(i + 1).is("::") || t.get(i + 1).is(".") && i + 3 < t.size()
                    && (t.get(i + 3).is("(") || t.get(i + 3).is(";")))) {
                return Optional.of(found(code, t, start(t, i), i + 3));
            }
            // Runtime.getRuntime().exit( / .halt( / ::exit / ::halt, also (Runtime.getRuntime()).halt(
            if (t.get(i).is("Runtime") && i + 4 < t.size() && t.get(i + 1).is(".") && t.get(i + 2).is("getRuntime")
                    && t.get(i + 3).is("(") && t.get(i + 4).is(")")) {
                int j = i + 5;
                while (j < t.size() && t.get(j).is(")")) {
                    j++;
                }
                if (j + 1 < t.size() && (t.get(j + 1).is("exit") || t.get(j + 1).is("halt"))
                        && (t.get(j).is("::") || t.get(j).is(".") && j + 2 < t.size() && t.get(j + 2).is("("))) {
                    return Optional.of(found(code, t, start(t, i), j + 2));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The code with its unicode escapes ({@code \\uXXXX}, any number of {@code u}s, after an even number of
     * backslashes) replaced by the characters they stand for, as the compiler reads it (JLS 3.3); unchanged when
     * it has none.
     */
    static String unicodeEscapesTranslated(String code) {
        if (code.indexOf("\\u") < 0) {
            return code;
        }
        StringBuilder b = new StringBuilder(code.length());
        int backslashes = 0;
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '\\' && backslashes % 2 == 0 && i + 1 < code.length() && code.charAt(i + 1) == 'u') {
                int j = i + 1;
                while (j < code.length() && code.charAt(j) == 'u') {
                    j++;
                }
                if (j + 4 <= code.length() && code.substring(j, j + 4).chars().allMatch(
                        h -> Character.digit(h, 16) >= 0)) {
                    b.append((char) Integer.parseInt(code.substring(j, j + 4), 16));
                    i = j + 3;
                    backslashes = 0;
                    continue;
                }
            }
            backslashes = c == '\\' ? backslashes + 1 : 0;
            b.append(c);
        }
        return b.toString();
    }

    /** Index of the first token of {@code java.lang.} before the class name at {@code i}, or {@code i}. */
    private static int start(List<Token> t, int i) {
        if (i >= 4 && t.get(i - 1).is(".") && t.get(i - 2).is("lang") && t.get(i - 3).is(".")
                && t.get(i - 4).is("java")) {
            return i - 4;
        }
        return i;
    }

    /** The call from token {@code from}; {@code open} is the index where its {@code (} would be. */
    private static Found found(String code, List<Token> t, int from, int open) {
        StringBuilder b = new StringBuilder();
        int end = Math.min(open, t.size());
        for (int k = from; k < end; k++) {
            b.append(t.get(k).text());
        }
        if (open < t.size() && t.get(open).is("(")) {
            // the arguments as written, up to the matching parenthesis
            int depth = 0;
            int close = -1;
            for (int k = open; k < t.size(); k++) {
                if (t.get(k).is("(")) {
                    depth++;
                } else if (t.get(k).is(")") && --depth == 0) {
                    close = k;
                    break;
                }
            }
            String args = close < 0 ? "" : code.substring(t.get(open).end(), t.get(close).start())
                    .replaceAll("\\s+", " ").strip();
            if (args.length() > MAX_ARGS) {
                args = args.substring(0, MAX_ARGS) + "...";
            }
            b.append('(').append(args).append(')');
        }
        return new Found(b.toString(), t.get(from).start());
    }

    /**
     * Java tokens enough for {@link #find}: identifiers and keywords (WORD), {@code ::} and single-character
     * punctuation (PUNCT). Comments, whitespace and the contents of string, character and text-block literals
     * are skipped; numbers come out as WORDs.
     */
    private static List<Token> tokens(String s) {
        List<Token> out = new ArrayList<>();
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (s.startsWith("//", i)) {
                int nl = s.indexOf('\n', i);
                i = nl < 0 ? n : nl + 1;
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (s.startsWith("\"\"\"", i)) {
                i = skipQuoted(s, i + 3, "\"\"\"");
            } else if (c == '"' || c == '\'') {
                i = skipQuoted(s, i + 1, String.valueOf(c));
            } else if (Character.isJavaIdentifierStart(c) || Character.isDigit(c)) {
                int j = i + 1;
                while (j < n && Character.isJavaIdentifierPart(s.charAt(j))) {
                    j++;
                }
                out.add(new Token(Kind.WORD, s.substring(i, j), i, j));
                i = j;
            } else if (s.startsWith("::", i)) {
                out.add(new Token(Kind.PUNCT, "::", i, i + 2));
                i += 2;
            } else {
                out.add(new Token(Kind.PUNCT, String.valueOf(c), i, i + 1));
                i++;
            }
        }
        return out;
    }

    /** Offset after the closing delimiter of a literal whose contents start at {@code i}; backslash escapes. */
    private static int skipQuoted(String s, int i, String close) {
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (s.startsWith(close, i)) {
                return i + close.length();
            } else if (c == '\n' && close.length() == 1) {
                return i + 1; // an unclosed string or char literal ends at the line (the compiler reports it)
            } else {
                i++;
            }
        }
        return n;
    }
}
