package org.workbench.graph;

import java.nio.file.Path;

/**
 * Test helper run in a child JVM by {@link GraphStoreTest}: opens an embedded store in the directory given as
 * argument, runs a query and returns from {@code main} without closing it. The JVM must still end.
 */
public final class UnclosedStoreMain {
    private UnclosedStoreMain() {
    }

    /**
     * @param args the database directory
     */
    public static void main(String[] args) {
        GraphStore g = GraphStore.open(GraphConfig.embedded(Path.of(args[0])));
        g.write("MERGE (h:host {name: '10.9.9.9'})", java.util.Map.of());
        System.out.println("opened " + g.uri());
    }
}
