package org.workbench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Helpers for notebook cells. */
public final class Notebooks {
    /**
     * System property naming the folder of the notebook being run. The headless runner sets it; under Jupyter
     * the kernel's working directory is already the notebook's folder.
     */
    public static final String NOTEBOOK_DIR_PROPERTY = "workbench.notebook.dir";

    private Notebooks() {
    }

    /**
     * Resolves a path written in a notebook the way its author meant it: relative paths against the notebook's
     * folder ({@value #NOTEBOOK_DIR_PROPERTY}, else the working directory), absolute paths as they are.
     *
     * @param path a path as written in a cell, e.g. {@code "../data/pcap/kitchen_boss.pcap"}
     * @return the absolute, normalized path (which may not exist)
     */
    public static Path resolve(String path) {
        Path p = Paths.get(path);
        if (p.isAbsolute()) {
            return p.normalize();
        }
        String dir = System.getProperty(NOTEBOOK_DIR_PROPERTY);
        Path base = dir != null ? Paths.get(dir) : Paths.get("").toAbsolutePath();
        return base.resolve(p).toAbsolutePath().normalize();
    }

    /**
     * The file a notebook reads an input from: the one the environment variable names when it is set (not blank),
     * else the notebook's default. A file named by the variable must exist: a notebook that fell back to something
     * else when the user named a file (a typo, a missing mount) would analyse the wrong data without saying so. The
     * default may be absent; the notebook decides what to do then.
     *
     * @param variable the environment variable, e.g. {@code "WORKBENCH_PCAP"}
     * @param defaultPath the path used when the variable is not set, as written in the notebook (see {@link #resolve})
     * @return the absolute path: a readable regular file when the variable is set, else the resolved default
     * @throws IllegalArgumentException naming the variable and the path when the variable is set and the path is
     *         not a readable regular file (absent, a directory, or not readable)
     */
    public static Path input(String variable, String defaultPath) {
        return input(variable, System.getenv(variable), defaultPath);
    }

    /** {@link #input(String, String)} with the variable's value given ({@code null} when it is not set). */
    static Path input(String variable, String value, String defaultPath) {
        if (value == null || value.isBlank()) {
            return resolve(defaultPath);
        }
        Path p = resolve(value.strip());
        String shown = variable + "=" + value.strip()
                + (Paths.get(value.strip()).isAbsolute() ? "" : " (resolved to " + p + ")");
        if (!Files.exists(p)) {
            throw new IllegalArgumentException(shown + ": no such file. Correct the path, or unset " + variable
                    + " to use the notebook's default " + defaultPath);
        }
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException(shown + ": not a regular file (a directory?); name the file itself");
        }
        if (!Files.isReadable(p)) {
            throw new IllegalArgumentException(shown + ": the file cannot be read (permissions)");
        }
        return p;
    }
}
