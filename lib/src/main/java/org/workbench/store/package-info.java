/**
 * The sample store: a durable, content-addressed (MD5) store of captures, files and logs under the workbench
 * home, with crash-safe atomic writes and hash verification on read. Entry point: {@link
 * org.workbench.store.SampleStore}.
 */
package org.workbench.store;
