package dev.quiesce.symbols.dwarf;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The decoded line rows {@code objdump -w --dwarf=decodedline} prints, the oracle of the line
 * table tests. Row format: file basename, line (or "-" for end of sequence), address, an
 * optional view number (several rows at one address) and "x" when is_stmt.
 */
final class ObjdumpLines {
    record Row(String baseName, int line, long address, boolean isStmt) {
        static final int END_SEQUENCE = -1;

        @Override
        public String toString() {
            return baseName + ":" + (line == END_SEQUENCE ? "-" : line) + " @0x" + Long.toHexString(address) + (isStmt ? " x" : "");
        }
    }

    private static final Pattern ROW = Pattern.compile("^(\\S+)\\s+(\\d+|-)\\s+0x([0-9a-f]+)(?:\\s+\\d+)?(\\s+x)?\\s*$");

    private ObjdumpLines() {
    }

    static List<Row> decodedLines(Path binary) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("objdump", "-w", "--dwarf=decodedline", binary.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<Row> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                Matcher m = ROW.matcher(line);
                if (m.matches()) {
                    int number = m.group(2).equals("-") ? Row.END_SEQUENCE : Integer.parseInt(m.group(2));
                    rows.add(new Row(m.group(1), number, Long.parseUnsignedLong(m.group(3), 16), m.group(4) != null));
                }
            }
        }
        if (p.waitFor() != 0) {
            throw new IOException("objdump failed on " + binary);
        }
        return rows;
    }
}
