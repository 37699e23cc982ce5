/**
 * Progress of long work: a {@link org.workbench.progress.ProgressListener} receives {@link
 * org.workbench.progress.Progress} events (task, done, total, unit, elapsed seconds) from a throttled
 * {@link org.workbench.progress.ProgressTracker}. Listeners are passed down explicitly (per workbench, per request,
 * per analysis); the only process-wide setting is {@link org.workbench.progress.ProgressDefaults}, the factory a
 * {@link org.workbench.Workbench} consults when no listener was given (a notebook kernel sets it).
 */
package org.workbench.progress;
