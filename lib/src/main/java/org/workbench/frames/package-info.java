/**
 * Zeek logs as Tablesaw data frames: {@link org.workbench.frames.ZeekFrames} reads a log file or
 * {@link org.workbench.zeeklog.LogStream} into a typed {@code Table} and explodes, concatenates and orders
 * such tables; {@link org.workbench.frames.ZeekTableReader} plugs Zeek logs into {@code Table.read()}.
 */
package org.workbench.frames;
