/**
 * The {@code workbench} command line (picocli): {@link org.workbench.cli.Main} and one class per
 * subcommand ({@code kernel install}, {@code notebook run}). Run it with {@code bin/workbench}.
 */
package org.workbench.cli;
