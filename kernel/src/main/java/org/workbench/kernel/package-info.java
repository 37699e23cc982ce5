/**
 * The Workbench Jupyter kernel for Java and the headless notebook runner.
 *
 * <ul>
 *   <li>{@link org.workbench.kernel.JavaEvaluator}: runs Java cells in an in-process JShell, with
 *       the workbench packages imported; returns {@link org.workbench.kernel.CellResult}s.</li>
 *   <li>{@link org.workbench.kernel.Renderers}: type to {@link org.workbench.kernel.MimeBundle}
 *       registry deciding how values look (Tablesaw tables as HTML, maps one entry per line...).</li>
 *   <li>{@link org.workbench.kernel.WorkbenchKernel} and {@link org.workbench.kernel.KernelMain}: the
 *       Jupyter kernel process (jjava base kernel), installed by {@code workbench kernel install}
 *       through {@link org.workbench.kernel.KernelSpecInstaller}.</li>
 *   <li>{@link org.workbench.kernel.NotebookRunner}: {@code workbench notebook run}, executing an
 *       {@code .ipynb} with the same evaluator and writing the executed notebook.</li>
 *   <li>{@link org.workbench.kernel.Display#display}: shows extra values from inside a cell.</li>
 * </ul>
 */
package org.workbench.kernel;
