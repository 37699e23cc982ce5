package org.workbench.kernel;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.workbench.graph.Graph;
import org.workbench.graph.GraphNode;
import org.workbench.graph.GraphRelationship;

/**
 * A deterministic force-directed layout (Fruchterman and Reingold, 1991: springs along
 * relationships, repulsion between every pair of nodes, a cooling step size) with a weak pull to
 * the centre so that unconnected parts stay in the frame. Start positions come from a
 * {@link Random} with a fixed seed, so the same graph (same nodes and relationships in the same
 * order) always gets the same picture.
 *
 * <p>Cost: O(n^2) per iteration; the number of iterations shrinks for large graphs (at most
 * {@value #MAX_ITERATIONS}, about 3e7 pair visits in all).
 */
public final class GraphLayout {
    /** Seed of the start positions. */
    public static final long SEED = 20140402L;
    /** Most iterations. */
    public static final int MAX_ITERATIONS = 300;

    /** A node's position, in pixels from the top left of the drawing area. */
    public record Point(double x, double y) {
    }

    private GraphLayout() {
    }

    /**
     * Lays out a graph in a {@code width} x {@code height} area, keeping a margin of
     * {@code margin} pixels.
     *
     * @param g the graph
     * @param width drawing width in pixels
     * @param height drawing height in pixels
     * @param margin free border in pixels
     * @return node id to position, in the graph's node order
     */
    public static Map<String, Point> layout(Graph g, double width, double height, double margin) {
        List<GraphNode> nodes = g.nodes();
        int n = nodes.size();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < n; i++) {
            index.put(nodes.get(i).id(), i);
        }
        double w = Math.max(1, width - 2 * margin);
        double h = Math.max(1, height - 2 * margin);
        double[] x = new double[n];
        double[] y = new double[n];
        Random random = new Random(SEED);
        for (int i = 0; i < n; i++) {
            x[i] = random.nextDouble() * w;
            y[i] = random.nextDouble() * h;
        }
        int[][] edges = g.relationships().stream()
                .filter(r -> index.containsKey(r.startId()) && index.containsKey(r.endId())
                        && !r.startId().equals(r.endId()))
                .map((GraphRelationship r) -> new int[] {index.get(r.startId()), index.get(r.endId())})
                .toArray(int[][]::new);
        if (n > 1) {
            double k = Math.sqrt(w * h / n); // ideal edge length
            int iterations = (int) Math.max(30, Math.min(MAX_ITERATIONS, 3e7 / ((double) n * n)));
            double temperature = Math.max(w, h) / 10;
            double[] dx = new double[n];
            double[] dy = new double[n];
            for (int it = 0; it < iterations; it++) {
                java.util.Arrays.fill(dx, 0);
                java.util.Arrays.fill(dy, 0);
                for (int i = 0; i < n; i++) {
                    for (int j = i + 1; j < n; j++) {
                        double ex = x[i] - x[j];
                        double ey = y[i] - y[j];
                        double d2 = ex * ex + ey * ey;
                        if (d2 < 1e-4) { // coincident: push apart along a fixed direction
                            ex = 0.01 * (i - j);
                            ey = 0.01;
                            d2 = ex * ex + ey * ey;
                        }
                        double f = k * k / d2; // repulsion k^2/d, along the unit vector (ex, ey)/d
                        dx[i] += ex * f;
                        dy[i] += ey * f;
                        dx[j] -= ex * f;
                        dy[j] -= ey * f;
                    }
                }
                for (int[] e : edges) {
                    double ex = x[e[0]] - x[e[1]];
                    double ey = y[e[0]] - y[e[1]];
                    double d = Math.sqrt(ex * ex + ey * ey) + 1e-9;
                    double f = d / k; // attraction d^2/k, along the unit vector
                    dx[e[0]] -= ex * f;
                    dy[e[0]] -= ey * f;
                    dx[e[1]] += ex * f;
                    dy[e[1]] += ey * f;
                }
                for (int i = 0; i < n; i++) {
                    dx[i] -= 0.05 * (x[i] - w / 2) * (k / Math.max(w, h)) * 10;
                    dy[i] -= 0.05 * (y[i] - h / 2) * (k / Math.max(w, h)) * 10;
                    double d = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]) + 1e-9;
                    double step = Math.min(d, temperature);
                    x[i] = Math.min(w, Math.max(0, x[i] + dx[i] / d * step));
                    y[i] = Math.min(h, Math.max(0, y[i] + dy[i] / d * step));
                }
                temperature = Math.max(0.5, temperature * 0.97);
            }
        } else if (n == 1) {
            x[0] = w / 2;
            y[0] = h / 2;
        }
        Map<String, Point> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            out.put(nodes.get(i).id(), new Point(margin + x[i], margin + y[i]));
        }
        return out;
    }
}
