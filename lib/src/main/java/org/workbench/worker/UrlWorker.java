package org.workbench.worker;

import com.google.common.net.InetAddresses;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code url}: network indicators in a sample's strings. Depends on {@code strings}; applies to every sample
 * type; no settings. Looks at the ASCII strings first, then the UTF-16LE ones, each in file order.
 *
 * <p>Result (each list deduplicated, in first-seen order): {@code urls} ({@code http://}, {@code https://},
 * {@code ftp://}, scheme matched case-insensitively, trailing punctuation {@code .,;:!?'"} and an unbalanced
 * {@code )} removed); {@code domains} (lowercased host names, URL hosts included: non-letters ending a URL's
 * host, as in {@code http://ocsp.example.com0} cut from a certificate, are dropped); {@code ipv4} (dotted quads,
 * RFC 791, no leading zeros); {@code ipv6} (RFC 4291 text forms with at least two colons and at least four hex
 * digits, or {@code ::1}, in RFC 5952 canonical form); and {@code strings_truncated} (the {@code strings} lists
 * were capped, so indicators may be missing).
 * {@link UrlResult#from(Map)} gives a typed view.
 *
 * <p>A domain is two or more labels of letters, digits and hyphens (RFC 1035 syntax, 1-63 characters each)
 * whose last label is a known top-level domain: the generic ones of {@link #GENERIC_TLDS} or a two-letter
 * country code ({@link Locale#getISOCountries()} plus {@code uk, eu, su, ac}). To avoid file and code names,
 * a mixed-case top-level label ({@code System.Net}, {@code System.IO}) is refused unless the whole name is upper
 * case, and two-label names ending in a common script extension ({@code setup.py}, {@code run.sh}) are refused.
 */
public final class UrlWorker implements Worker {
    /** The worker's name. */
    public static final String NAME = "url";

    /** Generic top-level domains accepted (IANA root zone; the original ones and common newer ones). */
    public static final Set<String> GENERIC_TLDS = Set.of("com", "net", "org", "edu", "gov", "mil", "int",
            "arpa", "info", "biz", "name", "pro", "mobi", "aero", "asia", "cat", "coop", "jobs", "museum", "tel",
            "travel", "xxx", "post", "xyz", "top", "club", "online", "site", "app", "dev", "shop", "store",
            "tech", "live", "space", "website", "link", "click", "win", "bid", "loan", "download", "racing",
            "party", "review", "science", "trade", "date", "faith", "men", "work", "cloud", "host", "press",
            "email", "icu", "vip", "fun", "buzz", "today", "world", "life", "news", "network", "services",
            "support", "digital", "agency", "media", "global", "solutions", "center", "company", "group",
            "stream", "cam", "best", "monster", "rest", "bar", "kim", "country", "gdn", "cricket",
            "accountant", "webcam", "onion");

    private static final Set<String> TLDS;
    private static final Set<String> SCRIPT_EXTENSIONS = Set.of("py", "sh", "so", "md", "rs", "ps", "mk", "am",
            "pm");

    static {
        Set<String> t = new HashSet<>(GENERIC_TLDS);
        for (String cc : Locale.getISOCountries()) {
            t.add(cc.toLowerCase(Locale.ROOT));
        }
        t.addAll(List.of("uk", "eu", "su", "ac"));
        TLDS = Set.copyOf(t);
    }

    private static final Pattern URL = Pattern.compile(
            "(?i)(?<![a-z0-9])(?:https?|ftp)://[^\\s\"'<>\\\\^`{|}\\x00-\\x1f\\x7f]+");
    private static final Pattern DOMAIN = Pattern.compile(
            "(?<![A-Za-z0-9_.-])((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+([A-Za-z]{2,24}))"
                    + "(?![A-Za-z0-9_-])");
    private static final String OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";
    private static final Pattern IPV4 = Pattern.compile(
            "(?<![0-9.])(" + OCTET + "(?:\\." + OCTET + "){3})(?![0-9]|\\.[0-9])");
    private static final Pattern IPV6 = Pattern.compile("(?<![0-9A-Za-z:.])[0-9A-Fa-f:.]{3,45}(?![0-9A-Za-z:])");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "URLs, domains and IP addresses found in the strings";
    }

    @Override
    public String version() {
        return "1.0";
    }

    @Override
    public List<String> dependencies() {
        return List.of(StringsWorker.NAME);
    }

    @Override
    public Map<String, Object> execute(WorkerContext ctx) {
        Map<String, Object> s = ctx.dependency(StringsWorker.NAME);
        List<String> all = new ArrayList<>(StringsResult.strings(s, "ascii"));
        all.addAll(StringsResult.strings(s, "utf16le"));
        Map<String, Object> out = extract(all);
        out.put("strings_truncated", Boolean.TRUE.equals(s.get("truncated")));
        return out;
    }

    /**
     * @param strings strings to search, in order
     * @return {@code urls, domains, ipv4, ipv6} as described in the class comment
     */
    public static Map<String, Object> extract(List<String> strings) {
        Set<String> urls = new LinkedHashSet<>();
        Set<String> domains = new LinkedHashSet<>();
        Set<String> ipv4 = new LinkedHashSet<>();
        Set<String> ipv6 = new LinkedHashSet<>();
        for (String str : strings) {
            Matcher m = URL.matcher(str);
            while (m.find()) {
                String u = trimUrl(m.group());
                if (u.indexOf("://") + 3 < u.length()) {
                    urls.add(u);
                    String host = urlHost(u);
                    if (host != null) {
                        domains.add(host);
                    }
                }
            }
            m = DOMAIN.matcher(str);
            while (m.find()) {
                String d = domain(m.group(1), m.group(2));
                if (d != null) {
                    domains.add(d);
                }
            }
            m = IPV4.matcher(str);
            while (m.find()) {
                ipv4.add(m.group(1));
            }
            if (str.indexOf(':') >= 0) {
                m = IPV6.matcher(str);
                while (m.find()) {
                    String v6 = ipv6(m.group());
                    if (v6 != null) {
                        ipv6.add(v6);
                    }
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("urls", new ArrayList<>(urls));
        out.put("domains", new ArrayList<>(domains));
        out.put("ipv4", new ArrayList<>(ipv4));
        out.put("ipv6", new ArrayList<>(ipv6));
        return out;
    }

    private static String trimUrl(String u) {
        int end = u.length();
        while (end > 0) {
            char c = u.charAt(end - 1);
            if (".,;:!?'\"".indexOf(c) >= 0
                    || (c == ')' && u.lastIndexOf('(', end - 1) < 0)
                    || (c == ']' && u.lastIndexOf('[', end - 1) < 0)) {
                end--;
            } else {
                break;
            }
        }
        return u.substring(0, end);
    }

    /**
     * The host of a URL as a domain, or null. Strings cut out of certificates often carry the next DER byte
     * after the host ({@code http://ocsp.example.com0}): trailing characters other than letters are dropped.
     */
    private static String urlHost(String url) {
        String h = url.substring(url.indexOf("://") + 3);
        int end = h.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int i = h.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        h = h.substring(0, end);
        h = h.substring(h.lastIndexOf('@') + 1);
        int colon = h.indexOf(':');
        if (colon >= 0) {
            h = h.substring(0, colon);
        }
        int k = h.length();
        while (k > 0 && !Character.isLetter(h.charAt(k - 1))) {
            k--;
        }
        h = h.substring(0, k);
        Matcher m = DOMAIN.matcher(h);
        return m.matches() ? domain(m.group(1), m.group(2)) : null;
    }

    private static String domain(String name, String tld) {
        String lowerTld = tld.toLowerCase(Locale.ROOT);
        if (!TLDS.contains(lowerTld)) {
            return null;
        }
        if (!tld.equals(lowerTld) && !name.equals(name.toUpperCase(Locale.ROOT))) {
            return null;
        }
        String d = name.toLowerCase(Locale.ROOT);
        if (d.indexOf('.') == d.lastIndexOf('.') && SCRIPT_EXTENSIONS.contains(lowerTld)) {
            return null;
        }
        return d.length() <= 253 ? d : null;
    }

    private static String ipv6(String token) {
        String t = token;
        while (t.endsWith(".")) {
            t = t.substring(0, t.length() - 1);
        }
        int colons = 0;
        for (int i = 0; i < t.length(); i++) {
            if (t.charAt(i) == ':') {
                colons++;
            }
        }
        int hexDigits = 0;
        for (int i = 0; i < t.length(); i++) {
            if (Character.digit(t.charAt(i), 16) >= 0) {
                hexDigits++;
            }
        }
        // at least 4 hex digits ("::1" aside): "a::b" in program text is not an address
        if (colons < 2 || (hexDigits < 4 && !t.equals("::1")) || !InetAddresses.isInetAddress(t)) {
            return null;
        }
        InetAddress a = InetAddresses.forString(t);
        return a instanceof Inet6Address ? InetAddresses.toAddrString(a) : t.toLowerCase(Locale.ROOT);
    }
}
