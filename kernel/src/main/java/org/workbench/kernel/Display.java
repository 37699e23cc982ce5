package org.workbench.kernel;

import java.util.function.Consumer;

/**
 * Shows values from inside a cell, before or besides the cell's final value: {@code display(t1);
 * display(t2);} shows two tables. Each call becomes a Jupyter {@code display_data} output
 * rendered by the cell's {@link Renderers}, placed after the output printed so far. Cells start
 * with {@code import static org.workbench.kernel.Display.display;}.
 *
 * <p>Outside a running cell (or in code that is not run by a {@link JavaEvaluator}) the value's
 * plain text is printed to {@code System.out} instead.
 */
public final class Display {
    private static volatile Consumer<Object> current;

    private Display() {
    }

    /**
     * Displays a value in the running cell's output.
     *
     * @param value any object, may be null
     */
    public static void display(Object value) {
        Consumer<Object> c = current;
        if (c != null) {
            c.accept(value);
        } else {
            System.out.println(Renderers.defaults().render(value).plainText());
        }
    }

    /** Installs the display target of the cell that starts running; null when it ends. */
    static void setCurrent(Consumer<Object> target) {
        current = target;
    }
}
