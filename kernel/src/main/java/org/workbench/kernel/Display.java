package org.workbench.kernel;

import java.util.Objects;
import java.util.UUID;

/**
 * Shows values from inside a cell, before or besides the cell's final value: {@code display(t1);
 * display(t2);} shows two tables. Each call becomes a Jupyter {@code display_data} output
 * rendered by the cell's {@link Renderers}, placed after the output printed so far. Cells start
 * with {@code import static org.workbench.kernel.Display.display;}.
 *
 * <p>An output shown with a display id ({@link #display(Object, String)}) can be replaced in place
 * later with {@link #updateDisplay(String, Object)}, also from another thread while the cell runs
 * (Jupyter's {@code update_display_data}); progress bars use this.
 *
 * <p>Outside a running cell (or in code that is not run by a {@link JavaEvaluator}) the value's
 * plain text is printed to {@code System.out} instead, and updates are dropped.
 */
public final class Display {
    /** Where the running cell's displays go. */
    interface Target {
        void show(Object value, String displayId);

        void update(String displayId, Object value);

        /** @return the registry of the running session, or null to use the process-wide one */
        default Renderers renderers() {
            return null;
        }
    }

    private static volatile Target current;
    private static final Renderers OUTSIDE = Renderers.defaults();

    private Display() {
    }

    /**
     * Displays a value in the running cell's output.
     *
     * @param value any object, may be null
     */
    public static void display(Object value) {
        Target c = current;
        if (c != null) {
            c.show(value, null);
        } else {
            System.out.println(OUTSIDE.render(value).plainText());
        }
    }

    /**
     * Displays a value under a display id that {@link #updateDisplay} can later replace.
     *
     * @param value any object, may be null
     * @param displayId the id; null picks a new random one
     * @return the display id used
     */
    public static String display(Object value, String displayId) {
        String id = displayId == null ? UUID.randomUUID().toString() : displayId;
        Target c = current;
        if (c != null) {
            c.show(value, id);
        } else {
            System.out.println(OUTSIDE.render(value).plainText());
        }
        return id;
    }

    /**
     * Replaces the outputs shown under a display id with a new value. Does nothing outside a
     * running cell.
     *
     * @param displayId an id returned by {@link #display(Object, String)}
     * @param value the new value, may be null
     */
    public static void updateDisplay(String displayId, Object value) {
        Objects.requireNonNull(displayId, "displayId");
        Target c = current;
        if (c != null) {
            c.update(displayId, value);
        }
    }

    /**
     * The display registry of the running notebook session: the {@link Renderers} of the
     * {@link JavaEvaluator} running the current cell. Changes (new renderers, {@code maxRows}, ...)
     * apply to every later output of that session. Outside a running cell, a process-wide registry
     * used by {@link #display(Object)} there.
     *
     * @return the registry, never null
     */
    public static Renderers renderers() {
        Target c = current;
        Renderers r = c == null ? null : c.renderers();
        return r == null ? OUTSIDE : r;
    }

    /**
     * Registers a renderer for a type in the running session ({@link #renderers()}), e.g. from a
     * cell: {@code Display.register(Alert.class, a -> MimeBundle.html("<b>" + a.text() + "</b>",
     * a.text()));}. It replaces an earlier renderer for the same type and wins over renderers of
     * its supertypes.
     *
     * @param type the value type
     * @param renderer produces the bundle, must not return null
     * @param <T> the value type
     */
    public static <T> void register(Class<T> type, java.util.function.Function<? super T, MimeBundle> renderer) {
        renderers().register(type, renderer);
    }

    /** @return whether a cell is running and displays reach a notebook */
    public static boolean active() {
        return current != null;
    }

    /** Installs the display target of the cell that starts running; null when it ends. */
    static void setCurrent(Target target) {
        current = target;
    }
}
