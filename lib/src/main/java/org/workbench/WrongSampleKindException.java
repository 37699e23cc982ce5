package org.workbench;

import java.util.Set;

/** A worker was asked to work on a sample whose type tag it does not accept (e.g. a PCAP worker on a PDF). */
public class WrongSampleKindException extends WorkbenchException {
    /**
     * @param worker   the worker's name
     * @param md5      the sample's MD5
     * @param typeTag  the sample's type tag
     * @param accepted the type tags the worker accepts
     */
    public WrongSampleKindException(String worker, String md5, String typeTag, Set<String> accepted) {
        super("worker '" + worker + "' does not apply to sample " + md5 + " of type '" + typeTag
                + "'; it accepts " + (accepted.isEmpty() ? "other samples only" : "types " + accepted));
    }
}
