package org.workbench;

import java.util.List;

/** No worker (or alias) of the requested name is registered. The message lists the known workers. */
public class UnknownWorkerException extends WorkbenchException {
    private final String name;
    private final List<String> known;

    /**
     * @param name   the requested worker name
     * @param known  the registered worker names (sorted)
     * @param detail extra context (e.g. "required by worker 'x'"), or null
     */
    public UnknownWorkerException(String name, List<String> known, String detail) {
        super("unknown worker '" + name + "'" + (detail == null ? "" : " (" + detail + ")")
                + "; known workers: " + known);
        this.name = name;
        this.known = List.copyOf(known);
    }

    /** @return the requested name */
    public String name() {
        return name;
    }

    /** @return the registered worker names when the error was raised */
    public List<String> known() {
        return known;
    }
}
