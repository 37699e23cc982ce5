package org.workbench.worker;

import java.util.List;
import java.util.Map;

/**
 * Typed view of a {@code url} result (see {@link UrlWorker}), for notebook code. Lists are deduplicated, in
 * first-seen order.
 *
 * @param urls             http, https and ftp URLs
 * @param domains          host names, lowercased
 * @param ipv4             IPv4 addresses, dotted quad
 * @param ipv6             IPv6 addresses, RFC 5952 form
 * @param stringsTruncated whether the {@code strings} lists were capped (indicators may be missing)
 */
public record UrlResult(List<String> urls, List<String> domains, List<String> ipv4, List<String> ipv6,
                        boolean stringsTruncated) {

    /**
     * @param r a {@code url} result
     * @return its typed view
     * @throws org.workbench.InvalidInputException when a list is missing
     */
    public static UrlResult from(Map<String, Object> r) {
        return new UrlResult(StringsResult.strings(r, "urls"), StringsResult.strings(r, "domains"),
                StringsResult.strings(r, "ipv4"), StringsResult.strings(r, "ipv6"),
                Boolean.TRUE.equals(r.get("strings_truncated")));
    }
}
