package org.workbench.worker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.workbench.store.TypeTags;

/**
 * {@code view_pcap_details}: the analyst's first look at a capture. Depends on {@code pcap_zeek}; returns its log
 * handles unchanged (keys {@code conn_log}, {@code dns_log}, ... with the log samples' MD5s, to read with
 * {@code Workbench.streamSample}) and {@code extracted_files}: one entry per extracted file (a file downloaded
 * twice appears twice) with {@code md5}, {@code sha256}, {@code file_size} (bytes), {@code file_type} (libmagic's
 * description, as {@code file -b} prints it), {@code mime_type} (libmagic's), {@code zeek_mime_type} (Zeek's
 * name, as in files.log), {@code filename}, {@code type_tag}, {@code ts} (seconds since the epoch), {@code uid} and
 * {@code fuid}. The file details come from the {@code meta} worker on each extracted sample. When the capture
 * could not be analysed whole (a corrupt record ended it early, or a link type is not supported), {@code notes}
 * repeats {@code pcap_zeek}'s lines saying so (the key is absent for a capture analysed whole).
 */
public final class ViewPcapDetailsWorker implements Worker {
    /** The worker's name. */
    public static final String NAME = "view_pcap_details";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "A capture's Zeek log handles and the extracted files with their hashes and libmagic types.";
    }

    @Override
    public String version() {
        return "1.1";
    }

    @Override
    public List<String> dependencies() {
        return List.of(PcapZeekWorker.NAME);
    }

    @Override
    public Set<String> acceptedTypes() {
        return Set.of(TypeTags.PCAP);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> execute(WorkerContext ctx) {
        Map<String, Object> zeek = ctx.dependency(PcapZeekWorker.NAME);
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : zeek.entrySet()) {
            if (e.getKey().endsWith("_log")) {
                out.put(e.getKey(), e.getValue());
            }
        }
        List<Map<String, Object>> files = new ArrayList<>();
        for (Object o : (List<Object>) zeek.getOrDefault("extracted_files", List.of())) {
            Map<String, Object> x = (Map<String, Object>) o;
            String md5 = (String) x.get("md5");
            Map<String, Object> meta = ctx.workRequest(MetaWorker.NAME, md5);
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("md5", md5);
            f.put("sha256", meta.get("sha256"));
            f.put("file_size", meta.get("file_size"));
            f.put("file_type", meta.get("file_type"));
            f.put("mime_type", meta.get("mime_type"));
            f.put("zeek_mime_type", x.get("zeek_mime_type"));
            f.put("filename", x.get("filename"));
            f.put("type_tag", x.get("type_tag"));
            f.put("ts", x.get("ts"));
            f.put("uid", x.get("uid"));
            f.put("fuid", x.get("fuid"));
            files.add(f);
        }
        out.put("extracted_files", files);
        Object notes = zeek.get("notes");
        if (notes instanceof List<?> l && !l.isEmpty()) {
            out.put("notes", notes);
        }
        return out;
    }
}
