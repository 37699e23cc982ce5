package org.workbench.kernel;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hand-off point for cell values between JShell-compiled code and the kernel. The evaluator makes
 * the snippet {@code org.workbench.kernel.ValueHolder.put(key, value)} run inside JShell and then
 * takes the real object out with {@link #take(String)}. This works because JShell's local
 * execution engine loads snippet classes in a class loader whose parent is the application class
 * loader that also loaded this class, so both sides see the same static map.
 *
 * <p>This is plumbing for {@link JavaEvaluator}; notebook code has no reason to call it.
 */
public final class ValueHolder {
    private static final Map<String, Object> VALUES = new ConcurrentHashMap<>();
    private static final Object NULL = new Object();

    private ValueHolder() {
    }

    /**
     * Stores a value under a key (called from JShell code).
     *
     * @param key the key chosen by the evaluator
     * @param value the value, may be null
     */
    public static void put(String key, Object value) {
        VALUES.put(key, value == null ? NULL : value);
    }

    /**
     * Removes and returns the value stored under a key.
     *
     * @param key the key given to {@link #put}
     * @return the stored value (null if null was stored)
     * @throws IllegalStateException if nothing is stored under the key
     */
    static Object take(String key) {
        Object v = VALUES.remove(key);
        if (v == null) {
            throw new IllegalStateException("no value was handed over under " + key);
        }
        return v == NULL ? null : v;
    }
}
