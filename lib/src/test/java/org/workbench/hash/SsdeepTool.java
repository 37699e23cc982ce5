package org.workbench.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.workbench.magic.SampleFiles;

/** The {@code ssdeep} command (Debian package ssdeep) as the reference for digests. */
public final class SsdeepTool {
    private SsdeepTool() {
    }

    /**
     * Runs {@code ssdeep -s -b files...} (silent, bare names) and returns file to digest, in order.
     * File names must be distinct.
     */
    public static Map<Path, String> digests(List<Path> files) {
        Map<Path, String> out = new LinkedHashMap<>();
        for (int from = 0; from < files.size(); from += 200) {
            List<Path> chunk = files.subList(from, Math.min(files.size(), from + 200));
            List<String> cmd = new ArrayList<>(List.of("ssdeep", "-s", "-b"));
            chunk.forEach(f -> cmd.add(f.toString()));
            List<String> lines = run(cmd).lines().filter(l -> !l.startsWith("ssdeep,")).collect(Collectors.toList());
            assertEquals(chunk.size(), lines.size(), "ssdeep printed an unexpected number of lines: " + lines);
            for (int i = 0; i < chunk.size(); i++) {
                String line = lines.get(i);
                String expectedName = ",\"" + chunk.get(i).getFileName() + "\"";
                assertTrue(line.endsWith(expectedName), "unexpected ssdeep line " + line + " for " + chunk.get(i));
                out.put(chunk.get(i), line.substring(0, line.length() - expectedName.length()));
            }
        }
        return out;
    }

    private static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "ssdeep did not finish");
            assertEquals(0, p.exitValue(), "ssdeep failed");
            return new String(out, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return fail("the `ssdeep` command is missing or cannot run (Debian package `ssdeep`): " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        }
    }

    /** @return every shared sample file: pe, pdf, swf and zip */
    public static List<Path> allSamples() {
        List<Path> all = new ArrayList<>();
        for (String kind : List.of("pe", "pdf", "swf", "zip")) {
            all.addAll(SampleFiles.samples(kind));
        }
        return all;
    }
}
