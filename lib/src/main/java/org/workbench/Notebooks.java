package org.workbench;

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
}
