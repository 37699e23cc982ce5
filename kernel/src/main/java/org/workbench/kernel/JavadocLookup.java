package org.workbench.kernel;

import com.sun.source.doctree.DocCommentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * Finds the Javadoc of a type or method in Java sources, for the kernel's {@code inspect_request}
 * when JShell has no sources itself (JShell reads only the JDK's {@code src.zip}).
 *
 * <p>Source roots are directories or zip/jar files (e.g. a {@code -sources.jar}, the JDK's
 * {@code lib/src.zip} with one folder per module). {@link #defaults()} uses: the paths of system
 * property {@value #SOURCES_PROPERTY} (separated by {@code File.pathSeparator}); the
 * {@value #SOURCES_DIR} folder the kernel build writes next to the kernel classes and {@code lib} folder (the workbench
 * library's and kernel's sources); every {@code *-sources.jar} in the kernel's {@code lib} folder;
 * the JDK's {@code src.zip} if installed (Debian package {@code openjdk-17-source}).
 *
 * <p>Files are parsed with the JDK's compiler API (parse only, no class path needed); results are
 * cached per source file.
 */
public final class JavadocLookup {
    /** System property: extra source roots. */
    public static final String SOURCES_PROPERTY = "workbench.sources";
    /** Folder under {@code kernel/target} where the build copies sources for Javadoc. */
    public static final String SOURCES_DIR = "javadoc-sources";

    private final List<Path> roots;
    private final Map<String, Optional<CompilationUnitTree>> parsed = new ConcurrentHashMap<>();
    private final Map<CompilationUnitTree, DocTrees> docTrees = new ConcurrentHashMap<>();

    /**
     * @param roots source roots: directories (package folders inside), zip or jar files (package
     *              folders at their root, or module folders holding them)
     */
    public JavadocLookup(List<Path> roots) {
        this.roots = expand(roots);
    }

    /** @return a lookup over the default roots, see the class comment */
    public static JavadocLookup defaults() {
        List<Path> roots = new ArrayList<>();
        String prop = System.getProperty(SOURCES_PROPERTY);
        if (prop != null) {
            for (String p : prop.split(File.pathSeparator)) {
                if (!p.isBlank()) {
                    roots.add(Path.of(p));
                }
            }
        }
        // kernel/target/classes -> kernel/target ; kernel/target/lib/x.jar -> kernel/target; for this class's
        // location and every class path entry (the kernelspec may run a jarred copy of the classes)
        java.util.Set<Path> targets = new java.util.LinkedHashSet<>();
        try {
            targets.add(targetOf(Path.of(JavadocLookup.class.getProtectionDomain().getCodeSource().getLocation().toURI())));
        } catch (URISyntaxException | RuntimeException ignored) {
            // no code source
        }
        for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!e.isBlank()) {
                targets.add(targetOf(Path.of(e).toAbsolutePath().normalize()));
            }
        }
        targets.remove(null);
        for (Path target : targets) {
            try {
                Path dir = target.resolve(SOURCES_DIR);
                if (Files.isDirectory(dir)) {
                    try (Stream<Path> s = Files.list(dir)) {
                        s.filter(Files::isDirectory).sorted().filter(p -> !roots.contains(p)).forEach(roots::add);
                    }
                }
                Path lib = target.resolve("lib");
                if (Files.isDirectory(lib)) {
                    try (Stream<Path> s = Files.list(lib)) {
                        s.filter(p -> p.getFileName().toString().endsWith("-sources.jar")).sorted()
                                .filter(p -> !roots.contains(p)).forEach(roots::add);
                    }
                }
            } catch (IOException | RuntimeException ignored) {
                // unreadable: skip
            }
        }
        Path home = Path.of(System.getProperty("java.home"));
        for (Path z : List.of(home.resolve("lib/src.zip"), home.resolve("src.zip"))) {
            if (Files.isReadable(z)) {
                roots.add(z);
                break;
            }
        }
        return new JavadocLookup(roots);
    }

    private static Path targetOf(Path entry) {
        Path parent = entry.getParent();
        if (parent == null) {
            return null;
        }
        if (Files.isDirectory(entry)) {
            return parent;
        }
        return parent.getFileName() != null && parent.getFileName().toString().equals("lib") ? parent.getParent() : null;
    }

    /** @return the source roots searched (zip files opened: their roots or module folders), in order */
    public List<Path> roots() {
        return roots;
    }

    private static List<Path> expand(List<Path> in) {
        List<Path> out = new ArrayList<>();
        for (Path p : in) {
            if (Files.isDirectory(p)) {
                out.add(p);
            } else if (Files.isRegularFile(p)) {
                try {
                    FileSystem fs = FileSystems.newFileSystem(p);
                    Path root = fs.getRootDirectories().iterator().next();
                    out.add(root);
                    // modular src.zip: java.base/java/lang/Object.java
                    try (Stream<Path> s = Files.list(root)) {
                        s.filter(d -> Files.isDirectory(d) && d.getFileName().toString().contains(".")
                                && !Files.exists(d.resolve("module-info.class")))
                                .filter(d -> Files.exists(d.resolve("module-info.java"))).sorted().forEach(out::add);
                    }
                } catch (IOException | RuntimeException ignored) {
                    // not a readable zip: skip it
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * The Javadoc of the element a JShell documentation signature names.
     *
     * @param signature as JShell's {@code SourceCodeAnalysis.Documentation.signature()}:
     *                  {@code org.workbench.Workbench} for a type,
     *                  {@code java.util.Map<String,Object> Workbench.workRequest(String worker, String md5)}
     *                  for a method
     * @param qualify turns a type name as written in the signature into a fully qualified name
     * @return the comment as plain text (HTML tags removed, inline tags as their text, block tags
     *         one per line), empty if the element or its source is not found
     */
    public Optional<String> find(String signature, Function<String, Optional<String>> qualify) {
        String sig = signature.strip();
        int paren = sig.indexOf('(');
        String head = paren < 0 ? sig : sig.substring(0, paren).strip();
        // "List<E> List<E>.<E>of" -> "List.of"
        String name = stripGenerics(head.substring(head.lastIndexOf(' ') + 1));
        if (paren < 0) {
            String type = stripGenerics(name);
            return comment(type, null, null);
        }
        List<String> params = new ArrayList<>();
        String inside = sig.substring(paren + 1, sig.lastIndexOf(')') < paren ? sig.length() : sig.lastIndexOf(')'));
        for (String p : splitTopLevel(inside)) {
            p = p.strip();
            if (p.isEmpty()) {
                continue;
            }
            int sp = p.lastIndexOf(' ');
            params.add(simpleType(sp < 0 ? p : p.substring(0, sp)));
        }
        int dot = name.lastIndexOf('.');
        String owner = dot < 0 ? name : name.substring(0, dot);
        String member = dot < 0 ? null : name.substring(dot + 1);
        if (member == null || owner.isEmpty()) {
            // a constructor: Name(params)
            owner = name;
            member = "<init>";
        }
        String qualified = owner.contains(".") && Character.isLowerCase(owner.charAt(0)) ? owner
                : qualify.apply(owner).orElse(owner);
        return comment(stripGenerics(qualified), member, params);
    }

    private Optional<String> comment(String qualifiedType, String member, List<String> params) {
        String[] parts = qualifiedType.split("\\.");
        // try a.b.C.D as a/b/C/D.java, then a/b/C.java with nested D, ...
        for (int top = parts.length; top >= 1; top--) {
            String file = String.join("/", List.of(parts).subList(0, top)) + ".java";
            Optional<CompilationUnitTree> unit = parse(file);
            if (unit.isEmpty()) {
                continue;
            }
            List<String> nested = List.of(parts).subList(top - 1, parts.length);
            Optional<String> doc = findIn(unit.get(), nested, member, params);
            if (doc.isPresent()) {
                return doc;
            }
        }
        return Optional.empty();
    }

    private Optional<CompilationUnitTree> parse(String file) {
        return parsed.computeIfAbsent(file, f -> {
            for (Path root : roots) {
                Path p = root.resolve(f);
                if (!Files.isRegularFile(p)) {
                    continue;
                }
                try {
                    String text = Files.readString(p, StandardCharsets.UTF_8);
                    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
                    JavaFileObject src = new SimpleJavaFileObject(URI.create("string:///" + f),
                            JavaFileObject.Kind.SOURCE) {
                        @Override
                        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                            return text;
                        }
                    };
                    JavacTask task = (JavacTask) javac.getTask(null, null, d -> { }, List.of("-proc:none"), null,
                            List.of(src));
                    for (CompilationUnitTree u : task.parse()) {
                        docTrees.put(u, DocTrees.instance(task));
                        return Optional.of(u);
                    }
                } catch (IOException | RuntimeException e) {
                    // unreadable or unparsable: try the next root
                }
            }
            return Optional.empty();
        });
    }

    private Optional<String> findIn(CompilationUnitTree unit, List<String> classes, String member, List<String> params) {
        DocTrees trees = docTrees.get(unit);
        String[] found = new String[1];
        new TreePathScanner<Void, Integer>() {
            @Override
            public Void visitClass(ClassTree node, Integer depth) {
                if (found[0] != null || depth >= classes.size()
                        || !node.getSimpleName().contentEquals(classes.get(depth))) {
                    return null;
                }
                if (depth == classes.size() - 1) {
                    if (member == null) {
                        found[0] = docOf(trees, getCurrentPath());
                        return null;
                    }
                    for (Tree t : node.getMembers()) {
                        if (t instanceof MethodTree m && matches(m, member, params)) {
                            String d = docOf(trees, new TreePath(getCurrentPath(), t));
                            if (d != null) {
                                found[0] = d;
                                return null;
                            }
                        }
                    }
                    return null;
                }
                for (Tree t : node.getMembers()) {
                    if (t instanceof ClassTree) {
                        scan(new TreePath(getCurrentPath(), t), depth + 1);
                    }
                }
                return null;
            }
        }.scan(unit, 0);
        return Optional.ofNullable(found[0]);
    }

    private static boolean matches(MethodTree m, String member, List<String> params) {
        if (!m.getName().contentEquals(member)) {
            return false;
        }
        List<? extends VariableTree> ps = m.getParameters();
        if (params == null) {
            return true;
        }
        if (ps.size() != params.size()) {
            return false;
        }
        for (int i = 0; i < ps.size(); i++) {
            String t = simpleType(ps.get(i).getType().toString());
            if (!t.equals(params.get(i)) && !(t + "[]").equals(params.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static String docOf(DocTrees trees, TreePath path) {
        DocCommentTree dc = trees.getDocCommentTree(path);
        if (dc == null) {
            return null;
        }
        String raw = trees.getDocComment(path);
        return raw == null ? null : toText(raw);
    }

    /**
     * @param raw a doc comment's text without the comment markers
     * @return plain text: inline tags as their content, HTML tags removed, entities decoded
     */
    static String toText(String raw) {
        // inline tags first (their text is kept verbatim, also '<' in code), then HTML, then the kept text back
        List<String> kept = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < raw.length()) {
            int open = raw.indexOf("{@", i);
            if (open < 0) {
                sb.append(raw, i, raw.length());
                break;
            }
            sb.append(raw, i, open);
            int depth = 0;
            int close = -1;
            for (int k = open; k < raw.length(); k++) {
                char c = raw.charAt(k);
                if (c == '{') {
                    depth++;
                } else if (c == '}' && --depth == 0) {
                    close = k;
                    break;
                }
            }
            if (close < 0) {
                sb.append(raw, open, raw.length());
                break;
            }
            String body = raw.substring(open + 2, close);
            int sp = 0;
            while (sp < body.length() && !Character.isWhitespace(body.charAt(sp))) {
                sp++;
            }
            String tag = body.substring(0, sp);
            String content = body.substring(sp).strip();
            String text = switch (tag) {
                case "code", "literal" -> content;
                case "link", "linkplain", "value", "see" -> linkText(content);
                case "inheritDoc" -> "";
                default -> content;
            };
            kept.add(text);
            sb.append('\u0000').append(kept.size() - 1).append('\u0000');
            i = close + 1;
        }
        String s = sb.toString();
        s = s.replaceAll("(?i)<p>|<br\\s*/?>|</?pre>|</?ul>|</?ol>", "\n");
        s = s.replaceAll("(?i)<li>", "\n - ");
        s = s.replaceAll("<[^>]+>", "");
        s = s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace("&quot;", "\"")
                .replace("&#64;", "@");
        s = s.replaceAll("(?m)^[ \\t]+", "").replaceAll("\n{3,}", "\n\n");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\u0000(\\d+)\u0000").matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(kept.get(Integer.parseInt(m.group(1)))));
        }
        m.appendTail(out);
        return out.toString().strip();
    }

    /** {@code Type#member(A, B) label} -> label; {@code Type#member(A, B)} -> {@code Type.member(A, B)}. */
    private static String linkText(String content) {
        int depth = 0;
        int end = content.length();
        for (int k = 0; k < content.length(); k++) {
            char c = content.charAt(k);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (Character.isWhitespace(c) && depth == 0) {
                end = k;
                break;
            }
        }
        String label = content.substring(end).strip();
        if (!label.isEmpty()) {
            return label;
        }
        String target = content.substring(0, end);
        return target.startsWith("#") ? target.substring(1) : target.replace('#', '.');
    }

    private static String stripGenerics(String t) {
        StringBuilder sb = new StringBuilder();
        int depth = 0;
        for (char c : t.toCharArray()) {
            if (c == '<') {
                depth++;
            } else if (c == '>') {
                depth--;
            } else if (depth == 0) {
                sb.append(c);
            }
        }
        return sb.toString().strip();
    }

    /** {@code java.util.Map<String, ?>} -> {@code Map}; {@code String...} -> {@code String[]}. */
    static String simpleType(String t) {
        String s = stripGenerics(t).replace("...", "[]").replaceAll("\\s+", "");
        s = s.replaceAll("@\\w+(\\.\\w+)*", "");
        int dims = s.indexOf('[');
        String base = dims < 0 ? s : s.substring(0, dims);
        String arr = dims < 0 ? "" : s.substring(dims);
        return base.substring(base.lastIndexOf('.') + 1) + arr;
    }

    private static List<String> splitTopLevel(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '<') {
                depth++;
            } else if (c == '>') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        out.add(s.substring(start));
        return out;
    }
}
