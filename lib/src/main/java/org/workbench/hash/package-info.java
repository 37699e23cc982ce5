/**
 * Content hashes beyond the cryptographic ones: ssdeep fuzzy hashing ({@link org.workbench.hash.FuzzyHasher},
 * libfuzzy through JNA with the pure-Java {@link org.workbench.hash.Ssdeep} as fallback) and Shannon entropy
 * ({@link org.workbench.hash.Entropy}).
 */
package org.workbench.hash;
