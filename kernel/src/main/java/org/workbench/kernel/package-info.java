/** The Jupyter kernel and the {@code workbench} command line. */
package org.workbench.kernel;
