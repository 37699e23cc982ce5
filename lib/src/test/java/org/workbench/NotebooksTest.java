package org.workbench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.synth.DriveByCapture;

class NotebooksTest {
    @Test
    void inputNamedByTheVariableMustExist(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("typo.pcap");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Notebooks.input("WORKBENCH_PCAP", missing.toString(), "../data/pcap/kitchen_boss.pcap"));
        assertTrue(e.getMessage().startsWith("WORKBENCH_PCAP=" + missing + ": no such file"), e.getMessage());
        assertTrue(e.getMessage().contains("unset WORKBENCH_PCAP"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class,
                () -> Notebooks.input("WORKBENCH_PCAP", dir.toString(), "default.pcap"));
        assertTrue(e.getMessage().startsWith("WORKBENCH_PCAP=" + dir + ": not a regular file"), e.getMessage());

        Path there = Files.write(dir.resolve("case.pcap"), new byte[] {1});
        assertEquals(there, Notebooks.input("WORKBENCH_PCAP", there + " ", "default.pcap"));
    }

    @Test
    void defaultMayBeAbsent(@TempDir Path dir) {
        String old = System.getProperty(Notebooks.NOTEBOOK_DIR_PROPERTY);
        System.setProperty(Notebooks.NOTEBOOK_DIR_PROPERTY, dir.toString());
        try {
            for (String unset : new String[] {null, "", "  "}) {
                assertEquals(dir.getParent().resolve("data/kb.pcap"), Notebooks.input("X", unset, "../data/kb.pcap"));
            }
            // a relative value resolves against the notebook's folder, and the message shows where
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Notebooks.input("X", "cases/a.pcap", "../data/kb.pcap"));
            assertTrue(e.getMessage().startsWith("X=cases/a.pcap (resolved to " + dir.resolve("cases/a.pcap") + "): "),
                    e.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty(Notebooks.NOTEBOOK_DIR_PROPERTY);
            } else {
                System.setProperty(Notebooks.NOTEBOOK_DIR_PROPERTY, old);
            }
        }
    }

    @Test
    void syntheticCaptureBytesAreTheWrittenFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("d.pcap");
        DriveByCapture.write(f);
        assertArrayEquals(Files.readAllBytes(f), DriveByCapture.bytes());
    }
}
