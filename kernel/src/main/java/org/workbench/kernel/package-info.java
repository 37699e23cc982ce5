/**
 * The Workbench Jupyter kernel for Java and the headless notebook runner.
 *
 * <ul>
 *   <li>{@link org.workbench.kernel.JavaEvaluator}: runs Java cells in an in-process JShell, with
 *       the workbench packages imported; returns {@link org.workbench.kernel.CellResult}s.</li>
 *   <li>{@link org.workbench.kernel.Renderers}: type to {@link org.workbench.kernel.MimeBundle}
 *       registry deciding how values look: Tablesaw tables like pandas ({@link org.workbench.kernel.TableHtml}),
 *       worker results as JSON trees ({@link org.workbench.kernel.JsonTree}), byte arrays as hex dumps
 *       ({@link org.workbench.kernel.HexDump}), {@link org.workbench.kernel.Image},
 *       {@link org.workbench.kernel.Markdown} and {@link org.workbench.kernel.Html} wrappers, plotly charts
 *       ({@link org.workbench.kernel.FigureRenderer}) and graph pictures ({@link org.workbench.kernel.GraphPicture}).
 *       The JavaScript they need (plotly.js, cytoscape.js) is bundled at build time from npm and sent once per
 *       session ({@link org.workbench.kernel.WebLibraries}).</li>
 *   <li>{@link org.workbench.kernel.WorkbenchKernel} and {@link org.workbench.kernel.KernelMain}: the
 *       Jupyter kernel process (jjava base kernel), installed by {@code workbench kernel install}
 *       through {@link org.workbench.kernel.KernelSpecInstaller}.</li>
 *   <li>{@link org.workbench.kernel.NotebookRunner}: {@code workbench notebook run}, executing an
 *       {@code .ipynb} with the same evaluator and writing the executed notebook.</li>
 *   <li>{@link org.workbench.kernel.Display#display}: shows extra values from inside a cell;
 *       {@link org.workbench.kernel.Display#register} adds a renderer to the running session.</li>
 * </ul>
 */
package org.workbench.kernel;
