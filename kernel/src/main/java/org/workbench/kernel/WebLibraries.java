package org.workbench.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The JavaScript libraries bundled into the kernel's resources at build time
 * ({@code kernel/js/package-lock.json}, copied to {@code org/workbench/kernel/web/} by
 * {@code kernel/js/build.sh}), and which of them one notebook session has already sent.
 *
 * <p>A library's minified code is inlined into the first output of a session that needs it, inside a
 * guard that runs it only when its global ({@code window.Plotly}, {@code window.cytoscape}) is
 * absent and hides any AMD loader ({@code define}), so that the classic Notebook's RequireJS does not
 * capture it. Later outputs only call the global, waiting up to {@value #WAIT_MS} ms for it to
 * appear (outputs can render in any order while a notebook page loads). Nothing is ever loaded from
 * the network: the same HTML works in JupyterLab, in a notebook written by {@link NotebookRunner},
 * and in a page exported with {@code jupyter nbconvert --to html} and opened offline.
 *
 * <p>Limitation: the library lives in one output. When that output is replaced (its cell is run
 * again, or it was shown with a display id and updated), pages open at that moment keep working,
 * but a notebook saved afterwards no longer carries the library, and its charts show a message
 * instead when reopened. {@link #reset()} (from a cell: {@code Display.renderers().libraries().reset()})
 * makes the next output carry it again.
 *
 * <p>Thread-safe.
 */
public final class WebLibraries {
    private static final AtomicLong ELEMENT_IDS = new AtomicLong();

    /**
     * A page element id that no other output shows: the process id, a counter and clock bits, so outputs of
     * earlier kernel sessions kept in the same notebook do not collide.
     *
     * @param prefix the id's start, e.g. {@code workbench_plot}
     * @param separator between the parts: {@code "_"} keeps the id a JavaScript identifier
     * @return the id
     */
    static String elementId(String prefix, String separator) {
        return prefix + separator + ProcessHandle.current().pid() + separator + ELEMENT_IDS.incrementAndGet()
                + separator + Long.toHexString(System.nanoTime() & 0xffffffL);
    }

    /** One bundled library. */
    public enum Library {
        /** plotly.js 2.35.3 ({@code plotly.js-dist-min}, MIT licence), global {@code Plotly}. */
        PLOTLY("plotly.min.js", "Plotly", "plotly.LICENSE.txt"),
        /** cytoscape.js 3.35.0 (MIT licence), global {@code cytoscape}. */
        CYTOSCAPE("cytoscape.min.js", "cytoscape", "cytoscape.LICENSE.txt");

        private final String resource;
        private final String global;
        private final String license;

        Library(String resource, String global, String license) {
            this.resource = resource;
            this.global = global;
            this.license = license;
        }

        /** @return the resource path, relative to the class path root */
        public String resourcePath() {
            return RESOURCE_DIR + resource;
        }

        /** @return the resource path of its licence text */
        public String licensePath() {
            return RESOURCE_DIR + license;
        }

        /** @return the name of the browser global the library defines */
        public String global() {
            return global;
        }
    }

    /** Folder of the bundled libraries on the class path. */
    public static final String RESOURCE_DIR = "org/workbench/kernel/web/";
    /** How long, in milliseconds, an output waits for its library to be defined before giving up. */
    public static final int WAIT_MS = 30_000;

    private static final ConcurrentHashMap<Library, String> CODE = new ConcurrentHashMap<>();
    private final Set<Library> sent = new HashSet<>();

    /** A session that has sent no library yet. */
    public WebLibraries() {
    }

    /**
     * The minified code of a library, read once from the class path.
     *
     * @param lib the library
     * @return its JavaScript source
     * @throws IllegalStateException when the resource is missing (the kernel was built without
     *                               {@code kernel/js/build.sh}, i.e. without npm)
     */
    public static String code(Library lib) {
        return CODE.computeIfAbsent(lib, l -> {
            try (InputStream in = WebLibraries.class.getClassLoader().getResourceAsStream(l.resourcePath())) {
                if (in == null) {
                    throw new IllegalStateException("bundled JavaScript library " + l.resourcePath()
                            + " is not on the class path: build the kernel with Maven (needs node and npm)");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + l.resourcePath(), e);
            }
        });
    }

    /**
     * The {@code <script>} element that defines a library, if this session has not sent it yet;
     * marks it sent.
     *
     * @param lib the library
     * @return the guarded inline script, or the empty string when already sent
     */
    public synchronized String includeOnce(Library lib) {
        if (!sent.add(lib)) {
            return "";
        }
        return inlineScript(lib);
    }

    /**
     * Forgets which libraries were sent, so the next output that needs one carries it again: for
     * when the output that carried a library was cleared and the page reloaded.
     */
    public synchronized void reset() {
        sent.clear();
    }

    /**
     * @param lib a library
     * @return whether this session has sent it
     */
    public synchronized boolean sent(Library lib) {
        return sent.contains(lib);
    }

    /**
     * The guarded inline script of a library, regardless of what was sent.
     *
     * @param lib the library
     * @return {@code <script>} element text
     */
    public static String inlineScript(Library lib) {
        String js = code(lib).replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT");
        return "<script type=\"text/javascript\" data-workbench-library=\"" + lib.global() + "\">\n"
                + "if (!window." + lib.global() + ") { (function (define, module, exports) {\n"
                + js + "\n}).call(window); }\n</script>\n";
    }

    /**
     * JavaScript that runs {@code body} once the library's global exists, polling every 50 ms for
     * up to {@value #WAIT_MS} ms; after that it writes {@code failureText} into the element with id
     * {@code elementId}.
     *
     * @param lib the library the body uses
     * @param elementId id of the element that shows the failure
     * @param body statements to run
     * @return a self-contained statement
     */
    static String whenLoaded(Library lib, String elementId, String body) {
        String g = lib.global();
        return "(function () {\n"
                + "  function draw() {\n" + body + "\n  }\n"
                + "  if (window." + g + ") { draw(); return; }\n"
                + "  var waited = 0;\n"
                + "  var timer = setInterval(function () {\n"
                + "    if (window." + g + ") { clearInterval(timer); draw(); }\n"
                + "    else if ((waited += 50) > " + WAIT_MS + ") {\n"
                + "      clearInterval(timer);\n"
                + "      var el = document.getElementById('" + elementId + "');\n"
                + "      if (el) { el.textContent = '" + g + " is not loaded in this page: the first output"
                + " of the notebook that needed it carried it. Run that cell again, or call"
                + " Display.renderers().libraries().reset() and run this one again.'; }\n"
                + "    }\n"
                + "  }, 50);\n"
                + "})();";
    }
}
