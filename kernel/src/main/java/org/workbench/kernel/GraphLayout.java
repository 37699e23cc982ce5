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
 * relationships, longer around busy nodes, repulsion between pairs of nodes closer than
 * {@value #REPULSION_RANGE} ideal edge lengths, a step size that cools linearly) with a
 * weak pull to the centre so that unconnected parts stay close; it runs in free space and the
 * result is then scaled and centred into the frame. Start positions come from a
 * {@link Random} with a fixed seed, so the same graph (same nodes and relationships in the same
 * order) always gets the same picture.
 *
 * <p>Cost: O(n^2) per iteration; the number of iterations shrinks for large graphs (at most
 * {@value #MAX_ITERATIONS}, about 3e7 pair visits in all).
 */
public final class GraphLayout {
    /** Seed of the start positions. */
    public static final long SEED = 20140402L;
    /** Pull of every node towards the centre of all nodes, so that unconnected parts stay close. */
    public static final double GRAVITY = 0.03;
    /** Distance, in ideal edge lengths, beyond which nodes no longer repel each other. */
    public static final double REPULSION_RANGE = 3;
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
        // the layout runs in free space with ideal edge length 1, then is scaled into the frame
        double[] x = new double[n];
        double[] y = new double[n];
        Random random = new Random(SEED);
        double side = Math.sqrt(Math.max(n, 1));
        for (int i = 0; i < n; i++) {
            x[i] = random.nextDouble() * side;
            y[i] = random.nextDouble() * side;
        }
        int[][] edges = g.relationships().stream()
                .filter(r -> index.containsKey(r.startId()) && index.containsKey(r.endId())
                        && !r.startId().equals(r.endId()))
                .map((GraphRelationship r) -> new int[] {index.get(r.startId()), index.get(r.endId())})
                .toArray(int[][]::new);
        int[] degree = new int[n];
        for (int[] e : edges) {
            degree[e[0]]++;
            degree[e[1]]++;
        }
        double[] length = new double[edges.length];
        for (int k = 0; k < edges.length; k++) {
            length[k] = 0.5 + 0.5 * Math.sqrt(Math.max(degree[edges[k][0]], degree[edges[k][1]]));
        }
        if (n > 1) {
            int iterations = (int) Math.max(30, Math.min(MAX_ITERATIONS, 3e7 / ((double) n * n)));
            double start = side / 4 + 0.5;
            double[] dx = new double[n];
            double[] dy = new double[n];
            for (int it = 0; it < iterations; it++) {
                double temperature = start * (1 - (double) it / iterations) + 0.01;
                java.util.Arrays.fill(dx, 0);
                java.util.Arrays.fill(dy, 0);
                double cx = 0;
                double cy = 0;
                for (int i = 0; i < n; i++) {
                    cx += x[i] / n;
                    cy += y[i] / n;
                }
                for (int i = 0; i < n; i++) {
                    for (int j = i + 1; j < n; j++) {
                        double ex = x[i] - x[j];
                        double ey = y[i] - y[j];
                        double d2 = ex * ex + ey * ey;
                        if (d2 > REPULSION_RANGE * REPULSION_RANGE) {
                            continue; // far nodes do not push: clusters stay close and edges comparable
                        }
                        if (d2 < 1e-6) { // coincident: push apart along a fixed direction
                            ex = 1e-3 * (i - j);
                            ey = 1e-3;
                            d2 = ex * ex + ey * ey;
                        }
                        double f = 1 / d2; // repulsion 1/d along the unit vector (ex, ey)/d
                        dx[i] += ex * f;
                        dy[i] += ey * f;
                        dx[j] -= ex * f;
                        dy[j] -= ey * f;
                    }
                }
                for (int k = 0; k < edges.length; k++) {
                    int[] e = edges[k];
                    double ex = x[e[0]] - x[e[1]];
                    double ey = y[e[0]] - y[e[1]];
                    // attraction d^2 / L along the unit vector; L grows with the busier end's degree
                    double d = Math.sqrt(ex * ex + ey * ey) / length[k];
                    dx[e[0]] -= ex * d;
                    dy[e[0]] -= ey * d;
                    dx[e[1]] += ex * d;
                    dy[e[1]] += ey * d;
                }
                for (int i = 0; i < n; i++) {
                    dx[i] -= GRAVITY * (x[i] - cx);
                    dy[i] -= GRAVITY * (y[i] - cy);
                    double d = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]) + 1e-12;
                    double step = Math.min(d, temperature);
                    x[i] += dx[i] / d * step;
                    y[i] += dy[i] / d * step;
                }
            }
        }
        // fit the bounding box into the frame, keeping the aspect ratio within a factor of 2
        double minX = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            minX = Math.min(minX, x[i]);
            maxX = Math.max(maxX, x[i]);
            minY = Math.min(minY, y[i]);
            maxY = Math.max(maxY, y[i]);
        }
        double sx = maxX - minX < 1e-9 ? Double.MAX_VALUE : w / (maxX - minX);
        double sy = maxY - minY < 1e-9 ? Double.MAX_VALUE : h / (maxY - minY);
        double s = Math.min(sx, sy);
        sx = Math.min(sx, 2 * s);
        sy = Math.min(sy, 2 * s);
        if (s == Double.MAX_VALUE) {
            sx = 0;
            sy = 0;
        }
        double offX = margin + (w - (maxX - minX) * sx) / 2;
        double offY = margin + (h - (maxY - minY) * sy) / 2;
        for (int i = 0; i < n; i++) {
            x[i] = offX + (x[i] - minX) * sx;
            y[i] = offY + (y[i] - minY) * sy;
        }
        Map<String, Point> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            out.put(nodes.get(i).id(), new Point(x[i], y[i]));
        }
        return out;
    }
}
