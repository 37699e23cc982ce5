package org.workbench.flow;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A stream/datagram analyzer factory that records everything it is handed. */
final class RecordingAnalyzer implements AnalyzerFactory {
    final String service;
    final Set<Integer> ports;
    final String signature; // detect() accepts payloads starting with it; null = never
    final List<Rec> made = new ArrayList<>();

    RecordingAnalyzer(String service, Set<Integer> ports, String signature) {
        this.service = service;
        this.ports = ports;
        this.signature = signature;
    }

    @Override
    public String service() {
        return service;
    }

    @Override
    public Set<Integer> wellKnownPorts(TransportProto proto) {
        return ports;
    }

    @Override
    public boolean detect(TransportProto proto, boolean isOrig, byte[] data, int offset, int length) {
        if (signature == null || length < signature.length()) {
            return false;
        }
        return new String(data, offset, signature.length(), java.nio.charset.StandardCharsets.ISO_8859_1)
                .equals(signature);
    }

    @Override
    public StreamAnalyzer newStreamAnalyzer(ConnectionContext conn) {
        Rec r = new Rec(conn);
        made.add(r);
        return r;
    }

    @Override
    public DatagramAnalyzer newDatagramAnalyzer(ConnectionContext conn) {
        Rec r = new Rec(conn);
        made.add(r);
        return r;
    }

    static final class Rec implements StreamAnalyzer, DatagramAnalyzer {
        final ConnectionContext conn;
        final ByteArrayOutputStream orig = new ByteArrayOutputStream(), resp = new ByteArrayOutputStream();
        final List<String> events = new ArrayList<>();
        boolean done;

        Rec(ConnectionContext conn) {
            this.conn = conn;
        }

        @Override
        public void deliver(boolean isOrig, double ts, byte[] data, int offset, int length) {
            (isOrig ? orig : resp).write(data, offset, length);
            events.add((isOrig ? "O" : "R") + "data" + length);
        }

        @Override
        public void gap(boolean isOrig, double ts, long length) {
            events.add((isOrig ? "O" : "R") + "gap" + length);
        }

        @Override
        public void endOfData(boolean isOrig, double ts) {
            events.add((isOrig ? "O" : "R") + "eod");
        }

        @Override
        public void datagram(boolean isOrig, double ts, byte[] data, int offset, int length) {
            (isOrig ? orig : resp).write(data, offset, length);
            events.add((isOrig ? "O" : "R") + "dgram" + length);
        }

        @Override
        public void connectionDone(double ts) {
            done = true;
            events.add("done");
        }

        String origText() {
            return orig.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
        }

        String respText() {
            return resp.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }
}
