package org.workbench.progress;

import java.util.Locale;
import java.util.Objects;

/**
 * One progress report of a task.
 *
 * @param task           what is being done, for a human (e.g. {@code "pcap_zeek kitchen_boss.pcap"})
 * @param done           how much is done, in {@code unit}s; never decreases within a task
 * @param total          how much there is in all, in {@code unit}s, or -1 when not known
 * @param unit           what is counted: {@link #BYTES}, {@link #SAMPLES}, ...
 * @param elapsedSeconds seconds since the task started
 * @param finished       whether this is the task's last report (its work ended, successfully or not)
 * @param failed         whether the task ended with an error or was cancelled (then {@code finished} is true)
 */
public record Progress(String task, long done, long total, String unit, double elapsedSeconds, boolean finished,
                       boolean failed) {
    /** Unit of byte counts. */
    public static final String BYTES = "bytes";
    /** Unit of sample counts (batch requests). */
    public static final String SAMPLES = "samples";

    /**
     * @throws NullPointerException     when task or unit is null
     * @throws IllegalArgumentException when done is negative or total is below -1
     */
    public Progress {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(unit, "unit");
        if (done < 0 || total < -1) {
            throw new IllegalArgumentException("progress of '" + task + "': done " + done + ", total " + total);
        }
    }

    /** @return whether the total is known */
    public boolean totalKnown() {
        return total >= 0;
    }

    /** @return done/total in [0, 1], or -1 when the total is not known (a total of 0 is complete: 1) */
    public double fraction() {
        if (total < 0) {
            return -1;
        }
        return total == 0 ? 1.0 : Math.min(1.0, (double) done / total);
    }

    /**
     * A one-line text form, e.g. {@code "pcap_zeek x.pcap: 1.2 MB of 1.8 MB (66%), 0.4 s"}, {@code "meta batch: 3
     * of 8 samples (38%), 1.2 s"} or, when finished, {@code "pcap_zeek x.pcap: done, 1.8 MB of 1.8 MB in 0.6 s"}
     * ({@code "stopped at ..."} when it failed).
     *
     * @return the text (no line end)
     */
    public String text() {
        StringBuilder b = new StringBuilder(task).append(": ");
        if (failed) {
            b.append("stopped at ");
        } else if (finished) {
            b.append("done, ");
        }
        if (totalKnown()) {
            b.append(BYTES.equals(unit) ? amount(done) : Long.toString(done)).append(" of ").append(amount(total));
            if (!finished) {
                b.append(String.format(Locale.ROOT, " (%d%%)", Math.round(fraction() * 100)));
            }
        } else {
            b.append(amount(done));
        }
        b.append(String.format(Locale.ROOT, finished ? " in %.1f s" : ", %.1f s", elapsedSeconds));
        return b.toString();
    }

    /** @return an amount with its unit; bytes in B, kB, MB, GB (powers of 1000) */
    public String amount(long n) {
        if (!BYTES.equals(unit)) {
            return n + " " + unit;
        }
        if (n < 1000) {
            return n + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = n;
        int i = -1;
        while (v >= 1000 && i < units.length - 1) {
            v /= 1000;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
    }
}
