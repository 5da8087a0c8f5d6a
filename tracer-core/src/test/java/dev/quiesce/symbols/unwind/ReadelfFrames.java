package dev.quiesce.symbols.unwind;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The test oracle: FDEs and their rows as {@code readelf --debug-dump=frames-interp} prints them. */
final class ReadelfFrames {
    private static final Pattern FDE = Pattern.compile(
            "^([0-9a-f]+) [0-9a-f]+ [0-9a-f]+ FDE cie=[0-9a-f]+ pc=([0-9a-f]+)\\.\\.([0-9a-f]+)");

    /** One FDE: its section offset, pc range and rows (location -> column name -> rule text). */
    record Entry(long offset, long pcBegin, long pcEnd, Map<Long, Map<String, String>> rows) {
    }

    private ReadelfFrames() {
    }

    /** The FDEs of .eh_frame. */
    static List<Entry> ehFrame(Path binary) throws IOException, InterruptedException {
        return frames(binary, ".eh_frame");
    }

    /** The FDEs readelf prints for one frame section (.eh_frame or .debug_frame). */
    static List<Entry> frames(Path binary, String sectionName) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("readelf", "--debug-dump=frames-interp", binary.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        List<Entry> entries = new ArrayList<>();
        String[] lines = out.split("\n");
        boolean inSection = false;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith("Contents of the")) {
                inSection = lines[i].startsWith("Contents of the " + sectionName + " section");
            }
            if (!inSection) {
                continue;
            }
            Matcher m = FDE.matcher(lines[i]);
            if (!m.find()) {
                continue;
            }
            Map<Long, Map<String, String>> rows = new LinkedHashMap<>();
            if (i + 1 < lines.length && lines[i + 1].trim().startsWith("LOC")) {
                String[] header = lines[i + 1].trim().split("\\s+");
                int j = i + 2;
                for (; j < lines.length && !lines[j].isBlank(); j++) {
                    // DW_CFA_register cells read "r9 (r9)": keep the name.
                    String[] cells = lines[j].trim().replaceAll("r\\d+ \\((\\w+)\\)", "$1").split("\\s+");
                    Map<String, String> row = new LinkedHashMap<>();
                    for (int k = 1; k < header.length && k < cells.length; k++) {
                        row.put(header[k], cells[k]);
                    }
                    rows.put(Long.parseUnsignedLong(cells[0], 16), row);
                }
                i = j;
            }
            entries.add(new Entry(Long.parseLong(m.group(1), 16), Long.parseUnsignedLong(m.group(2), 16),
                    Long.parseUnsignedLong(m.group(3), 16), rows));
        }
        return entries;
    }
}
