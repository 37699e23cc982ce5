package org.workbench.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test helper run in its own JVM: stores an endless stream into a store, creating a marker file once several
 * megabytes are on disk, so that the test can kill the process in the middle of the write.
 * Arguments: store home, marker file.
 */
public final class CrashingWriter {
    private CrashingWriter() {
    }

    public static void main(String[] args) {
        Path home = Path.of(args[0]);
        Path marker = Path.of(args[1]);
        SampleStore store = SampleStore.openAt(home);
        InputStream endless = new InputStream() {
            private long produced;

            @Override
            public int read() {
                byte[] one = new byte[1];
                read(one, 0, 1);
                return one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                for (int i = 0; i < len; i++) {
                    b[off + i] = (byte) (produced + i);
                }
                produced += len;
                if (produced > 4L * 1024 * 1024) {
                    try {
                        if (!Files.exists(marker)) {
                            Files.writeString(marker, "writing");
                        }
                        Thread.sleep(20);
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
                return len;
            }
        };
        store.storeSample(endless, "never_finished.bin", "unknown");
    }
}
