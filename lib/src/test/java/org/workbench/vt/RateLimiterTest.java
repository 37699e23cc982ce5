package org.workbench.vt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private static final long MIN = 60_000_000_000L;

    @Test
    void fourPerMinute() throws InterruptedException {
        AtomicLong now = new AtomicLong(1_000);
        RateLimiter r = new RateLimiter(4, MIN, now::get, now::addAndGet);
        for (int i = 0; i < 4; i++) {
            assertEquals(0, r.acquire(() -> false));
            now.addAndGet(1_000_000_000L);
        }
        // 4 s have passed; the 5th request waits until the first is a minute old.
        long waited = r.acquire(() -> false);
        assertEquals(MIN - 4_000_000_000L, waited);
        assertEquals(1_000 + MIN, now.get());
    }

    @Test
    void unlimitedAndCancellation() throws InterruptedException {
        AtomicLong now = new AtomicLong();
        RateLimiter none = new RateLimiter(0, MIN, now::get, now::addAndGet);
        for (int i = 0; i < 100; i++) {
            assertEquals(0, none.acquire(() -> false));
        }
        RateLimiter one = new RateLimiter(1, MIN, now::get, now::addAndGet);
        one.acquire(() -> false);
        assertThrows(InterruptedException.class, () -> one.acquire(() -> true));
    }

    @Test
    void sharedPerKeyAndRate() {
        assertSame(RateLimiter.shared("http://a", 4), RateLimiter.shared("http://a", 4));
        assertEquals(false, RateLimiter.shared("http://a", 4) == RateLimiter.shared("http://b", 4));
    }
}
