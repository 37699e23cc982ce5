package org.workbench.files.x509;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test certificates made with the JDK's keytool. */
public final class TestCerts {
    private TestCerts() {
    }

    /**
     * Generates a self-signed certificate and returns its DER encoding.
     *
     * @param dir   scratch directory
     * @param alg   key algorithm ({@code RSA}, {@code EC})
     * @param dname distinguished name in keytool syntax
     * @param exts  keytool {@code -ext} values
     */
    public static byte[] generate(Path dir, String alg, String dname, String... exts)
            throws IOException, InterruptedException {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Path ks = dir.resolve("ks-" + System.nanoTime() + ".p12");
        Path out = dir.resolve("cert-" + System.nanoTime() + ".der");
        List<String> gen = new ArrayList<>(List.of(keytool, "-genkeypair", "-alias", "t", "-keyalg", alg,
                "-dname", dname, "-validity", "365", "-keystore", ks.toString(), "-storepass", "changeit",
                "-storetype", "PKCS12"));
        if (alg.equals("RSA")) {
            gen.addAll(List.of("-keysize", "2048"));
        } else if (alg.equals("EC")) {
            gen.addAll(List.of("-groupname", "secp256r1"));
        }
        for (String e : exts) {
            gen.add("-ext");
            gen.add(e);
        }
        run(gen);
        run(List.of(keytool, "-exportcert", "-alias", "t", "-keystore", ks.toString(), "-storepass", "changeit",
                "-storetype", "PKCS12", "-file", out.toString()));
        return Files.readAllBytes(out);
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("keytool failed: " + output);
        }
    }
}
