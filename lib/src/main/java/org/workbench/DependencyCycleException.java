package org.workbench;

import java.util.List;

/** Worker dependencies form a cycle; the message shows it, e.g. {@code a -> b -> a}. */
public class DependencyCycleException extends WorkbenchException {
    /** @param cycle the worker names along the cycle, first repeated at the end */
    public DependencyCycleException(List<String> cycle) {
        super("worker dependency cycle: " + String.join(" -> ", cycle));
    }
}
