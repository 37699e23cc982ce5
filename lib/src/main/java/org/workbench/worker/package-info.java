/**
 * Workers and their execution. A worker ({@link org.workbench.worker.Worker}) is a small class with a stable
 * name, a version, dependencies, accepted sample types and settings; register it with
 * {@link org.workbench.worker.WorkerRegistry}. {@link org.workbench.worker.WorkEngine} runs work requests,
 * resolving dependencies and caching results durably under the workbench home.
 *
 * <p>Adding a worker: write the class, then add one {@code registry.register(new MyWorker(...))} line (the
 * built-in ones are registered in {@link org.workbench.Workbench}).
 */
package org.workbench.worker;
