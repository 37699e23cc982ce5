package org.workbench.analyzer.dns;

/**
 * The common part of one resource record (owner name, type, class, TTL) and the message section it came
 * from, as Zeek's {@code dns_answer} record carries it.
 *
 * @param section where the record was found
 * @param name    owner name, lower-cased, one char per byte
 * @param type    TYPE value
 * @param rrClass CLASS value
 * @param ttl     TTL in seconds (unsigned 32-bit)
 */
record DnsAnswer(Section section, String name, int type, int rrClass, long ttl) {

    /** Message sections; the last two are the RFC 2136 dynamic-update names of the answer and authority sections. */
    enum Section { QUESTION, ANSWER, AUTHORITY, ADDITIONAL, PREREQUISITE, UPDATE }
}
