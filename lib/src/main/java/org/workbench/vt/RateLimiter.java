package org.workbench.vt;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * A sliding-window request budget: at most {@code permits} requests in any {@code window} nanoseconds. A caller
 * over budget waits (in steps of at most 250 ms, so cancellation is noticed) until the oldest request leaves the
 * window. {@link #shared(String, int)} hands out one limiter per key (e.g. per API base URL) for the whole
 * process, so every worker and thread shares the service's quota. Thread-safe.
 */
public final class RateLimiter {
    private static final Map<String, RateLimiter> SHARED = new ConcurrentHashMap<>();
    private static final long MINUTE_NANOS = 60_000_000_000L;

    private final int permits;
    private final long window;
    private final LongSupplier clock;
    private final Sleeper sleeper;
    private final ArrayDeque<Long> recent = new ArrayDeque<>();

    /** How to wait; replaceable in tests. */
    @FunctionalInterface
    public interface Sleeper {
        /**
         * @param nanos how long to wait
         * @throws InterruptedException when interrupted while waiting
         */
        void sleep(long nanos) throws InterruptedException;
    }

    /**
     * @param permits requests allowed per window; 0 or less means unlimited
     * @param window  window length, nanoseconds
     * @param clock   monotonic time in nanoseconds (e.g. {@code System::nanoTime})
     * @param sleeper how to wait
     */
    public RateLimiter(int permits, long window, LongSupplier clock, Sleeper sleeper) {
        this.permits = permits;
        this.window = window;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /**
     * The process-wide limiter of a key at {@code perMinute} requests per minute (one limiter per key and rate).
     *
     * @param key       e.g. the API's base URL
     * @param perMinute requests per minute; 0 = unlimited
     * @return the shared limiter
     */
    public static RateLimiter shared(String key, int perMinute) {
        return SHARED.computeIfAbsent(key + "#" + perMinute,
                k -> new RateLimiter(perMinute, MINUTE_NANOS, System::nanoTime,
                        n -> Thread.sleep(n / 1_000_000, (int) (n % 1_000_000))));
    }

    /**
     * Waits until a request may be sent and counts it.
     *
     * @param cancelled polled while waiting
     * @return nanoseconds waited
     * @throws InterruptedException when interrupted or {@code cancelled} turns true while waiting
     */
    public long acquire(BooleanSupplier cancelled) throws InterruptedException {
        if (permits <= 0) {
            return 0;
        }
        long waited = 0;
        while (true) {
            long wait;
            synchronized (this) {
                long now = clock.getAsLong();
                while (!recent.isEmpty() && now - recent.peekFirst() >= window) {
                    recent.pollFirst();
                }
                if (recent.size() < permits) {
                    recent.addLast(now);
                    return waited;
                }
                wait = recent.peekFirst() + window - now;
            }
            if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("cancelled while waiting for the request budget");
            }
            long step = Math.min(wait, 250_000_000L);
            sleeper.sleep(step);
            waited += step;
        }
    }
}
