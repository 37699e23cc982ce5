/**
 * File typing: libmagic (the library behind the {@code file} command) through JNA, with an Apache Tika
 * fallback. Entry point: {@link org.workbench.magic.FileMagic}.
 */
package org.workbench.magic;
