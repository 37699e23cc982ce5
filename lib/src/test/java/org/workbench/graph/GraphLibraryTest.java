package org.workbench.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Where {@link GraphLibrary} looks for the server's jars, and what its isolating loader defines itself. The
 * isolated start from a graph-lib directory is tested in the kernel module (GraphLibIsolationTest), where the
 * server's jars are off the class path.
 */
class GraphLibraryTest {
    @Test
    void propertyThenEnvironmentThenNextToTheLibraryJar() {
        Path jar = Path.of("/opt/wb/kernel/target/lib/workbench-lib-1.jar");
        assertEquals(Optional.of(Path.of("/p/graph-lib")), GraphLibrary.libDirectory("/p/graph-lib", "/e", jar));
        assertEquals(Optional.of(Path.of("/e")), GraphLibrary.libDirectory(" ", "/e", jar));
        assertEquals(Optional.of(Path.of("/opt/wb/kernel/target/graph-lib")),
                GraphLibrary.libDirectory(null, null, jar));
        assertEquals(Optional.empty(), GraphLibrary.libDirectory(null, "", null));
        // relative settings become absolute
        assertEquals(Optional.of(Path.of("rel").toAbsolutePath()), GraphLibrary.libDirectory("rel/./", null, null));
    }

    @Test
    void theLibraryTestsHaveTheServerOnTheirClassPath() {
        assertTrue(GraphLibrary.serverOnClassPath());
        assertSame(GraphLibrary.class.getClassLoader(), GraphLibrary.serverLoader());
    }

    @Test
    void isolatingLoaderDefinesOnlyTheServerClassItself() throws Exception {
        ClassLoader app = GraphLibrary.class.getClassLoader();
        try (GraphLibrary.IsolatingLoader l = new GraphLibrary.IsolatingLoader(new URL[0], app)) {
            Class<?> server = l.loadClass(GraphLibrary.SERVER_CLASS);
            assertSame(l, server.getClassLoader());
            assertNotSame(EmbeddedNeo4jServer.class, server);
            assertSame(server, l.loadClass(GraphLibrary.SERVER_CLASS), "defined once");
            assertTrue(EmbeddedServer.class.isAssignableFrom(server), "implements the parent's interface");
            // everything else comes from the parent: the library, the driver, and here also the server's API
            assertSame(GraphStore.class, l.loadClass(GraphStore.class.getName()));
            assertSame(org.neo4j.driver.Driver.class, l.loadClass("org.neo4j.driver.Driver"));
            assertSame(app.loadClass(GraphLibrary.BUILDER_CLASS), l.loadClass(GraphLibrary.BUILDER_CLASS));
        }
    }
}
