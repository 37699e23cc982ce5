package org.workbench.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.workbench.InvalidInputException;
import org.workbench.UnknownWorkerException;

/**
 * The workers a workbench knows, by name, plus aliases (old names that keep working, e.g. {@code pcap_bro} for
 * {@code pcap_zeek}). Thread-safe.
 */
public final class WorkerRegistry {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    private final Map<String, Worker> workers = new TreeMap<>();
    private final Map<String, String> aliases = new TreeMap<>();

    /**
     * Adds a worker under its {@link Worker#name()}.
     *
     * @param worker the worker
     * @return this registry
     * @throws InvalidInputException when the name is malformed or already used by a worker or alias, or the
     *                               worker's version, dependencies or default configuration are malformed
     */
    public synchronized WorkerRegistry register(Worker worker) {
        String name = checkWorker(worker);
        if (workers.containsKey(name) || aliases.containsKey(name)) {
            throw new InvalidInputException("a worker or alias named '" + name + "' is already registered;"
                    + " use replace(worker) to swap it");
        }
        workers.put(name, worker);
        return this;
    }

    /**
     * Adds a worker, replacing any worker of the same name (handy when a notebook cell is run again). Cached
     * results of the old worker are reused only if the version is unchanged.
     *
     * @param worker the worker
     * @return this registry
     * @throws InvalidInputException when the name is used by an alias or the worker is malformed
     */
    public synchronized WorkerRegistry replace(Worker worker) {
        String name = checkWorker(worker);
        if (aliases.containsKey(name)) {
            throw new InvalidInputException("'" + name + "' is an alias of '" + aliases.get(name) + "'");
        }
        workers.put(name, worker);
        return this;
    }

    /**
     * Makes {@code alias} another name for {@code target}. The target need not be registered yet.
     *
     * @param alias  the extra name
     * @param target the worker's real name
     * @return this registry
     * @throws InvalidInputException when a name is malformed or {@code alias} is already a worker's name
     */
    public synchronized WorkerRegistry alias(String alias, String target) {
        checkName(alias, "alias");
        checkName(target, "worker name");
        if (workers.containsKey(alias)) {
            throw new InvalidInputException("'" + alias + "' is already a worker's name, it cannot be an alias");
        }
        if (alias.equals(target)) {
            throw new InvalidInputException("an alias cannot point to itself: '" + alias + "'");
        }
        aliases.put(alias, target);
        return this;
    }

    /**
     * @param nameOrAlias a worker name or alias
     * @return the worker
     * @throws UnknownWorkerException when no such worker is registered (the message lists the known ones)
     */
    public Worker get(String nameOrAlias) {
        return get(nameOrAlias, null);
    }

    /**
     * @param nameOrAlias a worker name or alias
     * @param detail      context for the error message (e.g. "a dependency of worker 'x'"), or null
     * @return the worker
     * @throws UnknownWorkerException when no such worker is registered
     */
    public synchronized Worker get(String nameOrAlias, String detail) {
        if (nameOrAlias == null) {
            throw new UnknownWorkerException("null", names(), detail);
        }
        String name = canonicalName(nameOrAlias);
        Worker w = workers.get(name);
        if (w == null) {
            String why = name.equals(nameOrAlias) ? detail
                    : "alias of '" + name + "', which is not registered" + (detail == null ? "" : "; " + detail);
            throw new UnknownWorkerException(nameOrAlias, names(), why);
        }
        return w;
    }

    /** @return whether a worker of that name or alias is registered */
    public synchronized boolean contains(String nameOrAlias) {
        return nameOrAlias != null && workers.containsKey(canonicalName(nameOrAlias));
    }

    /**
     * @param nameOrAlias a name or alias
     * @return the name an alias stands for, or the argument itself
     */
    public synchronized String canonicalName(String nameOrAlias) {
        return aliases.getOrDefault(nameOrAlias, nameOrAlias);
    }

    /** @return the registered worker names, sorted */
    public synchronized List<String> names() {
        return List.copyOf(workers.keySet());
    }

    /** @return alias to worker name, sorted by alias */
    public synchronized Map<String, String> aliases() {
        return Map.copyOf(aliases);
    }

    /** @return the registered workers, sorted by name */
    public synchronized List<Worker> workers() {
        return new ArrayList<>(workers.values());
    }

    private static String checkWorker(Worker worker) {
        Objects.requireNonNull(worker, "worker");
        String name = worker.name();
        checkName(name, "worker name");
        String version = worker.version();
        if (version == null || version.isBlank()) {
            throw new InvalidInputException("worker '" + name + "' has no version");
        }
        List<String> deps = worker.dependencies();
        if (deps == null) {
            throw new InvalidInputException("worker '" + name + "' returns null dependencies");
        }
        for (String d : deps) {
            checkName(d, "dependency of worker '" + name + "'");
        }
        if (worker.acceptedTypes() == null) {
            throw new InvalidInputException("worker '" + name + "' returns null accepted types");
        }
        Map<String, Object> defaults = worker.defaultConfig();
        if (defaults == null) {
            throw new InvalidInputException("worker '" + name + "' returns a null default configuration");
        }
        JsonDocuments.check(defaults, "default configuration of worker '" + name + "'");
        return name;
    }

    private static void checkName(String name, String what) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInputException("bad " + what + " " + (name == null ? "null" : "'" + name + "'")
                    + ": expected a lowercase letter, then lowercase letters, digits or '_'");
        }
    }
}
