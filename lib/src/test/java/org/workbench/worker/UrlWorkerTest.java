package org.workbench.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.Workbench;
import org.workbench.magic.SampleFiles;

class UrlWorkerTest {
    @TempDir
    Path home;
    private Workbench wb;

    @BeforeEach
    void open() {
        wb = Workbench.open(home);
        wb.registry().replace(new StringsWorker());
        wb.registry().replace(new UrlWorker());
    }

    @AfterEach
    void close() {
        wb.close();
    }

    @Test
    void extractFromStrings() {
        UrlResult r = UrlResult.from(UrlWorker.extract(List.of(
                "GET http://Evil.Example.com/a.php?x=1, then (see https://cdn.example.org/p)",
                "ftp://10.0.0.5/pub/file.exe.",
                "mail admin@mail.example.ru or WWW.SHOUT.NET now",
                "System.Net System.IO kernel32.dll msvcrt.dll setup.py version 1.2.3.4.5",
                "http://evil.example.com/a.php?x=1",
                "http://user@Host.Example.net:8080/x http://ocsp.example.com0",
                "beacon 192.168.1.20:8080 and 256.1.1.1 and 010.1.1.1",
                "v6 fe80::1ff:fe23:4567:890a and [2001:DB8::1]:443, time 12:34:56, mac 00:11:22:33:44:55",
                "std::string a::b ::")));
        assertEquals(List.of("http://Evil.Example.com/a.php?x=1", "https://cdn.example.org/p",
                "ftp://10.0.0.5/pub/file.exe", "http://evil.example.com/a.php?x=1",
                "http://user@Host.Example.net:8080/x", "http://ocsp.example.com0"), r.urls());
        assertEquals(List.of("evil.example.com", "cdn.example.org", "mail.example.ru", "www.shout.net",
                "host.example.net", "ocsp.example.com"), r.domains());
        assertEquals(List.of("10.0.0.5", "192.168.1.20"), r.ipv4());
        assertEquals(List.of("fe80::1ff:fe23:4567:890a", "2001:db8::1"), r.ipv6());
    }

    @Test
    void workerOnBuiltSample() {
        String md5 = wb.storeSample(StringsWorkerTest.built(), "b.bin", "unknown");
        UrlResult r = UrlResult.from(wb.workRequest("url", md5));
        assertEquals(List.of("http://evil.example.com/x"), r.urls());
        assertEquals(List.of("evil.example.com"), r.domains());
        assertFalse(r.stringsTruncated());
        String empty = wb.storeSample(new byte[0], "e", "unknown");
        assertEquals(Map.of("urls", List.of(), "domains", List.of(), "ipv4", List.of(), "ipv6", List.of(),
                "strings_truncated", false), wb.workRequest("url", empty));
    }

    @Test
    void realPe() {
        Path pe = SampleFiles.samplesDir().resolve("pe/good/090a189f4eeb3c0b76e97acdb1a71c92");
        String md5 = wb.storeSample(pe, "exe");
        UrlResult r = UrlResult.from(wb.workRequest("url", md5));
        assertTrue(r.urls().contains("http://www.internetdownloadmanager.com/"), r.urls().toString());
        assertTrue(r.urls().contains("https://www.verisign.com/rpa"), r.urls().toString());
        assertTrue(r.domains().contains("www.internetdownloadmanager.com"), r.domains().toString());
        assertTrue(r.domains().contains("www.verisign.com"), r.domains().toString());
        // hosts cut from certificates with the next DER byte: http://ocsp.thawte.com0
        assertTrue(r.domains().contains("ocsp.thawte.com"), r.domains().toString());
        assertTrue(r.urls().contains("http://ocsp.thawte.com0"), r.urls().toString());
        assertEquals(r.urls().stream().distinct().toList(), r.urls());
        assertEquals(r.domains().stream().distinct().toList(), r.domains());
    }
}
