/**
 * Reading Windows PE (Portable Executable) files: {@link org.workbench.pe.PeImage} parses the headers (with
 * pecoff4j's structure readers) and the section table, import, export and resource directories (with bounded
 * reads of our own), {@link org.workbench.pe.PeIndicatorRules} derives indicators from it (the API table is
 * {@link org.workbench.pe.ApiCategories}), {@link org.workbench.pe.PeFeatureExtractor} derives features for
 * similarity work. Formats and constants follow the Microsoft PE/COFF specification; the import-walking rules
 * follow pefile 2023.2.7 so the names agree with it. Used by the {@code pe_indicators} and {@code pe_features}
 * workers.
 */
package org.workbench.pe;
