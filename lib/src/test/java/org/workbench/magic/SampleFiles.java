package org.workbench.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The public malware samples under {@code ${workbench.shared}/data/samples} (read as bytes only, never run or
 * opened by other programs) and the {@code file} command used as the reference for libmagic answers.
 */
public final class SampleFiles {
    private SampleFiles() {
    }

    /** @return the samples folder; fails the test when it is absent */
    public static Path samplesDir() {
        String shared = System.getProperty("workbench.shared");
        if (shared == null) {
            fail("system property workbench.shared is not set (surefire sets it to ../shared of the project)");
        }
        Path dir = Path.of(shared, "data", "samples");
        if (!Files.isDirectory(dir)) {
            fail("shared samples folder is missing: " + dir.toAbsolutePath());
        }
        return dir;
    }

    /** @return every regular file under {@code samples/<kind>}, sorted; fails when there is none */
    public static List<Path> samples(String kind) {
        Path dir = samplesDir().resolve(kind);
        if (!Files.isDirectory(dir)) {
            fail("shared samples folder is missing: " + dir.toAbsolutePath());
        }
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> files = s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
            assertFalse(files.isEmpty(), "no samples in " + dir);
            return files;
        } catch (IOException e) {
            throw new AssertionError("cannot list " + dir, e);
        }
    }

    /**
     * Runs {@code file -b [options] files...} and returns one output line per file.
     *
     * @param options e.g. {@code --mime-type}; empty for the description
     */
    public static List<String> fileCommand(List<String> options, List<Path> files) {
        List<String> cmd = new ArrayList<>();
        cmd.add("file");
        cmd.add("-b");
        cmd.addAll(options);
        files.forEach(f -> cmd.add(f.toString()));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "file did not finish");
            String text = new String(out, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), "file failed: " + text);
            List<String> lines = text.lines().collect(Collectors.toList());
            assertEquals(files.size(), lines.size(), "file printed an unexpected number of lines: " + text);
            return lines;
        } catch (IOException e) {
            return fail("the `file` command is missing or cannot run (Debian package `file`): " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        }
    }
}
