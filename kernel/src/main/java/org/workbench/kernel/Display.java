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
    }

    private static volatile Target current;

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
            System.out.println(Renderers.defaults().render(value).plainText());
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
            System.out.println(Renderers.defaults().render(value).plainText());
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

    /** @return whether a cell is running and displays reach a notebook */
    public static boolean active() {
        return current != null;
    }

    /** Installs the display target of the cell that starts running; null when it ends. */
    static void setCurrent(Target target) {
        current = target;
    }
}
