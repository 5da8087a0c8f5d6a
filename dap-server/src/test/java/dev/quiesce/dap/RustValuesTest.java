package dev.quiesce.dap;

import static dev.quiesce.dap.testing.DapTestClient.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.quiesce.dap.testing.DapTestBase;
import dev.quiesce.dap.testing.DapTestClient;
import dev.quiesce.dap.testing.Gdb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Rust values (issue 15) at shapes.rs's "BREAK main" line, in the Variables view and in watch,
 * equal rust-gdb's info locals and print at the same stop (rust-gdb 1.95 with its printers).
 */
class RustValuesTest extends DapTestBase {
    /** Locals whose text rust-gdb and Quiesce must give alike. */
    static final List<String> LOCALS = List.of("greeting", "word", "empty", "names", "nums", "many", "slice", "deque", "map", "set",
            "shared", "shared2", "atomic", "cell", "refcell", "origin", "corner", "arr", "pair", "color", "some_byte", "no_byte",
            "some_name", "no_name", "ok", "err", "shapes", "doubled", "scale", "os", "path", "tree", "big", "bset", "no_tree", "raw",
            "craw", "nullp", "wrap", "target", "letters");
    /** Expressions rust-gdb prints: fields (tuple ones too), lengths, indexing; as watch expressions. */
    static final List<String> PRINTS = List.of("many.len", "boxed.x", "names.len", "nums.len", "corner.y", "wrap.0", "wrap.1", "pair.1",
            "tree", "bset", "*raw", "craw.y");
    /** Pointers at the top of a print (the debug console): rust-gdb names them all {@code (*mut T) 0x...}. */
    static final List<String> REPL_PRINTS = List.of("raw", "craw", "nullp", "&target", "&pair", "&names");
    /** Values that are stack addresses, which differ between the two runs (their environments differ): compared by shape. */
    static final java.util.Set<String> ADDRESSES = java.util.Set.of("raw", "craw", "&target", "&pair", "&names");

    /** A stack address made 0x..., for values whose address differs between rust-gdb's run and ours. */
    static String addressFree(String name, String text) {
        return text != null && ADDRESSES.contains(name) ? text.replaceAll("0x7ff[0-9a-f]+", "0x...") : text;
    }

    /** rustc's directory: on PATH, else rustup's $HOME/.cargo/bin (CI's PATH does not name it). */
    static Path rustBin() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "rust-gdb"))) {
                return Path.of(dir);
            }
        }
        Path cargo = Path.of(System.getProperty("user.home"), ".cargo", "bin");
        Assumptions.assumeTrue(Files.isExecutable(cargo.resolve("rust-gdb")), "no rust-gdb on PATH or in " + cargo + ": skipped");
        return cargo;
    }

    static Path shapes() {
        Path p = Path.of(System.getProperty("quiesce.testprograms.dir"), "shapes_rs");
        Assumptions.assumeTrue(Files.isExecutable(p), "shapes_rs was not built (no rustc on PATH or in $HOME/.cargo/bin): skipped");
        return p;
    }

    static Path source() {
        return shapes().getParent().resolve("../../src/shapes.rs").normalize();
    }

    static int line(String marker) throws Exception {
        List<String> lines = Files.readAllLines(source());
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("// BREAK " + marker)) {
                return i + 1;
            }
        }
        throw new AssertionError("no marker " + marker);
    }

    /** rust-gdb's {@code name = value} lines (one per local here). */
    static Map<String, String> infoLocals(String gdb) {
        Map<String, String> out = new HashMap<>();
        for (String l : gdb.split("\n")) {
            int eq = l.indexOf(" = ");
            if (eq > 0 && l.substring(0, eq).matches("[a-z_0-9]+")) {
                out.putIfAbsent(l.substring(0, eq), l.substring(eq + 3));
            }
        }
        return out;
    }

    /** A hash table's entries are in its seed's order, which each run draws anew: compared as sorted. */
    static String unordered(String name, String text) {
        if (text == null || !(name.equals("map") || name.equals("set")) || !text.contains(" = {")) {
            return text;
        }
        int brace = text.indexOf(" = {");
        List<String> entries = new ArrayList<>(List.of(text.substring(brace + 4, text.length() - 1).split(", ")));
        java.util.Collections.sort(entries);
        return text.substring(0, brace) + " = {" + String.join(", ", entries) + "}";
    }

    /** A variable's named children as {@code name=value, ...} ([raw] left out). */
    static String children(DapTestClient client, JsonObject variable) {
        int ref = variable.get("variablesReference").getAsInt();
        if (ref == 0) {
            return "";
        }
        List<String> out = new ArrayList<>();
        for (JsonElement c : variables(client, ref, Map.of("filter", "named"))) {
            String name = c.getAsJsonObject().get("name").getAsString();
            if (!name.equals("[raw]")) {
                out.add(name + "=" + c.getAsJsonObject().get("value").getAsString());
            }
        }
        return String.join(", ", out);
    }

    /** A container's first elements as {@code name=value, ...}. */
    static String elements(DapTestClient client, JsonObject variable) {
        List<String> out = new ArrayList<>();
        for (JsonElement c : variables(client, variable.get("variablesReference").getAsInt(), Map.of("filter", "indexed", "start", 0, "count", 10))) {
            out.add(c.getAsJsonObject().get("name").getAsString() + "=" + c.getAsJsonObject().get("value").getAsString());
        }
        return String.join(", ", out);
    }

    static JsonObject stopAt(DapTestClient client, Path program, int line) {
        client.initialize();
        client.ok("launch", Map.of("program", program.toString()));
        client.event("process");
        JsonArray bps = body(client.ok("setBreakpoints", Map.of("source", Map.of("path", source().toString()),
                "breakpoints", List.of(Map.of("line", line))))).getAsJsonArray("breakpoints");
        assertTrue(bps.get(0).getAsJsonObject().get("verified").getAsBoolean(), bps.toString());
        client.ok("configurationDone", Map.of());
        return body(client.event("stopped"));
    }

    static String evaluate(DapTestClient client, int frameId, String expression) {
        JsonObject r = client.request("evaluate", Map.of("expression", expression, "frameId", frameId, "context", "watch"));
        return r.get("success").getAsBoolean() ? body(r).get("result").getAsString() : "error: " + r.get("message");
    }

    static JsonArray variables(DapTestClient client, int ref, Map<String, Object> extra) {
        Map<String, Object> args = new HashMap<>(extra);
        args.put("variablesReference", ref);
        return body(client.ok("variables", args)).getAsJsonArray("variables");
    }

    @Test
    void localsAndPrintsEqualRustGdbs() throws Exception {
        Path program = shapes();
        Path bin = rustBin();
        int line = line("main");
        List<String> commands = new ArrayList<>(List.of("break shapes.rs:" + line, "run", "info locals"));
        PRINTS.forEach(e -> commands.add("print " + e));
        REPL_PRINTS.forEach(e -> commands.add("print " + e));
        String gdb = Gdb.run(List.of(bin.resolve("rust-gdb").toString()), program.getParent(), program, List.of(),
                commands.toArray(String[]::new));
        Map<String, String> want = infoLocals(gdb.substring(gdb.indexOf("BREAK main")));
        List<String> printed = Gdb.printed(gdb);
        assertEquals(PRINTS.size() + REPL_PRINTS.size(), printed.size(), gdb);
        try (DapTestClient client = server.connect()) {
            int tid = stopAt(client, program, line).get("threadId").getAsInt();
            JsonObject top = body(client.ok("stackTrace", Map.of("threadId", tid))).getAsJsonArray("stackFrames").get(0).getAsJsonObject();
            assertEquals(line, top.get("line").getAsInt(), top.toString());
            int frameId = top.get("id").getAsInt();
            Map<String, JsonObject> ours = new HashMap<>();
            for (JsonElement s : body(client.ok("scopes", Map.of("frameId", frameId))).getAsJsonArray("scopes")) {
                for (JsonElement v : variables(client, s.getAsJsonObject().get("variablesReference").getAsInt(), Map.of())) {
                    ours.putIfAbsent(v.getAsJsonObject().get("name").getAsString(), v.getAsJsonObject());
                }
            }
            List<String> mismatches = new ArrayList<>();
            for (String name : LOCALS) {
                String mine = ours.containsKey(name) ? ours.get(name).get("value").getAsString() : null;
                if (!addressFree(name, unordered(name, String.valueOf(want.get(name)))).equals(addressFree(name, unordered(name, mine)))) {
                    mismatches.add("Locals " + name + ": rust-gdb «" + want.get(name) + "» ours «" + mine + "»");
                }
            }
            for (int i = 0; i < PRINTS.size(); i++) {
                String mine = evaluate(client, frameId, PRINTS.get(i));
                if (!printed.get(i).equals(mine)) {
                    mismatches.add("print " + PRINTS.get(i) + ": rust-gdb «" + printed.get(i) + "» ours «" + mine + "»");
                }
            }
            for (int i = 0; i < REPL_PRINTS.size(); i++) {
                String e = REPL_PRINTS.get(i);
                JsonObject r = client.request("evaluate", Map.of("expression", e, "frameId", frameId, "context", "repl"));
                String mine = r.get("success").getAsBoolean() ? body(r).get("result").getAsString() : "error: " + r.get("message");
                String theirs = printed.get(PRINTS.size() + i);
                if (!addressFree(e, theirs).equals(addressFree(e, mine))) {
                    mismatches.add("repl print " + e + ": rust-gdb «" + theirs + "» ours «" + mine + "»");
                }
            }
            int compared = LOCALS.size() + PRINTS.size() + REPL_PRINTS.size();
            System.out.println(mismatches.size() + " of " + compared + " differ:\n" + String.join("\n", mismatches));
            assertTrue(mismatches.isEmpty(), mismatches.size() + " differ:\n" + String.join("\n", mismatches));

            // elements as children, paged: the 150-element Vec
            JsonObject many = ours.get("many");
            assertEquals(150, many.get("indexedVariables").getAsInt(), many.toString());
            JsonArray page = variables(client, many.get("variablesReference").getAsInt(), Map.of("filter", "indexed", "start", 140, "count", 10));
            assertEquals(10, page.size());
            assertEquals("[149]", page.get(9).getAsJsonObject().get("name").getAsString());
            assertEquals("149", page.get(9).getAsJsonObject().get("value").getAsString());

            // a BTreeMap's elements as [key] children, paged (100 in a tree of height 2); a BTreeSet's as [i]
            assertEquals("[1]=\"one\", [3]=\"three\"", elements(client, ours.get("tree")));
            assertEquals("[0]=4, [1]=6, [2]=9", elements(client, ours.get("bset")));
            JsonObject big = ours.get("big");
            assertEquals(100, big.get("indexedVariables").getAsInt(), big.toString());
            JsonArray tail = variables(client, big.get("variablesReference").getAsInt(), Map.of("filter", "indexed", "start", 95, "count", 10));
            assertEquals(5, tail.size(), tail.toString());
            assertEquals("[99]", tail.get(4).getAsJsonObject().get("name").getAsString());
            assertEquals("9801", tail.get(4).getAsJsonObject().get("value").getAsString());
            assertEquals("2500", evaluate(client, frameId, tail.get(0).getAsJsonObject().get("evaluateName").getAsString().replace("95", "50")));

            // an enum expands to its active variant's fields; tuple fields are 0, 1 (as CodeLLDB names them); Rc to its value and counts
            assertEquals("0=\"named\"", children(client, ours.get("some_name")));
            assertEquals("0=\"x1: invalid digit found in string\"", children(client, ours.get("err")));
            assertEquals("0=7, 1=8", children(client, ours.get("wrap")));
            assertEquals("0=7, 1=\"seven\", 2=7.5", children(client, ours.get("pair")));
            assertEquals("", children(client, ours.get("no_byte")));
            assertEquals("x=0, y=0", children(client, ours.get("origin")));
            assertEquals("value=\"shared\", strong=2, weak=0", children(client, ours.get("shared")));
            JsonObject firstShape = variables(client, ours.get("shapes").get("variablesReference").getAsInt(),
                    Map.of("filter", "indexed", "start", 1, "count", 1)).get(0).getAsJsonObject();
            assertEquals("shapes::Shape::Circle{center: shapes::Point {x: 3, y: 4}, radius: 2}", firstShape.get("value").getAsString());
            assertEquals("center=shapes::Point {x: 3, y: 4}, radius=2", children(client, firstShape));
            JsonObject rect = variables(client, ours.get("shapes").get("variablesReference").getAsInt(),
                    Map.of("filter", "indexed", "start", 0, "count", 1)).get(0).getAsJsonObject();
            assertEquals("0=shapes::Point {x: 0, y: 0}, 1=shapes::Point {x: 3, y: 4}", children(client, rect));
            // the tuple variant's field as a watch expression, by its evaluateName and written by hand
            JsonObject second = variables(client, rect.get("variablesReference").getAsInt(), Map.of()).get(1).getAsJsonObject();
            assertEquals("4", evaluate(client, frameId, "(" + second.get("evaluateName").getAsString() + ").y"));
            assertEquals("3", evaluate(client, frameId, "shapes[0].1.x"));
            client.ok("disconnect", Map.of("terminateDebuggee", true));
        }
    }

    /** At "BREAK inspect": arguments that are references (&Vec, &[Shape]) and expressions through them. */
    static final List<String> INSPECT_LOCALS = List.of("names", "nums", "shapes", "count", "first");
    static final List<String> INSPECT_PRINTS = List.of("names.len", "nums.len", "shapes.length", "*first", "shapes[1]", "*names",
            "first.len()", "5u8", "1_000i64");

    @Test
    void referencesAndExpressionsInACalleeEqualRustGdbs() throws Exception {
        Path program = shapes();
        Path bin = rustBin();
        int line = line("inspect");
        List<String> commands = new ArrayList<>(List.of("break shapes.rs:" + line, "run", "bt 2", "info args", "info locals"));
        INSPECT_PRINTS.forEach(e -> commands.add("print " + e));
        String gdb = Gdb.run(List.of(bin.resolve("rust-gdb").toString()), program.getParent(), program, List.of(),
                commands.toArray(String[]::new));
        Map<String, String> want = infoLocals(gdb.substring(gdb.indexOf("BREAK inspect")));
        List<String> printed = Gdb.printed(gdb);
        assertEquals(INSPECT_PRINTS.size(), printed.size(), gdb);
        try (DapTestClient client = server.connect()) {
            int tid = stopAt(client, program, line).get("threadId").getAsInt();
            JsonArray frames = body(client.ok("stackTrace", Map.of("threadId", tid))).getAsJsonArray("stackFrames");
            JsonObject top = frames.get(0).getAsJsonObject();
            int frameId = top.get("id").getAsInt();
            List<String> mismatches = new ArrayList<>();
            // frame names as rust-gdb's backtrace gives them (demangled, without the hash)
            for (int f = 0; f < 2; f++) {
                String name = frames.get(f).getAsJsonObject().get("name").getAsString();
                String expected = f == 0 ? "shapes::inspect" : "shapes::main";
                if (!gdb.contains(" " + expected + " (") || !name.equals(expected)) {
                    mismatches.add("frame " + f + ": rust-gdb has " + expected + ": " + gdb.contains(" " + expected + " (") + ", ours «" + name + "»");
                }
            }
            Map<String, JsonObject> ours = new HashMap<>();
            for (JsonElement s : body(client.ok("scopes", Map.of("frameId", frameId))).getAsJsonArray("scopes")) {
                for (JsonElement v : variables(client, s.getAsJsonObject().get("variablesReference").getAsInt(), Map.of())) {
                    ours.putIfAbsent(v.getAsJsonObject().get("name").getAsString(), v.getAsJsonObject());
                }
            }
            for (String name : INSPECT_LOCALS) {
                String mine = ours.containsKey(name) ? ours.get(name).get("value").getAsString() : null;
                // references: addresses on the stack, which differ between the two runs (their environments differ)
                boolean bothAddresses = mine != null && mine.matches("0x[0-9a-f]+") && String.valueOf(want.get(name)).matches("0x[0-9a-f]+");
                if (!bothAddresses && !String.valueOf(want.get(name)).equals(mine)) {
                    mismatches.add("Locals " + name + ": rust-gdb «" + want.get(name) + "» ours «" + mine + "»");
                }
            }
            for (int i = 0; i < INSPECT_PRINTS.size(); i++) {
                String mine = evaluate(client, frameId, INSPECT_PRINTS.get(i));
                if (!printed.get(i).equals(mine)) {
                    mismatches.add("print " + INSPECT_PRINTS.get(i) + ": rust-gdb «" + printed.get(i) + "» ours «" + mine + "»");
                }
            }
            // beyond rust-gdb, which cannot index a Vec ("Cannot subscript non-array type") nor call len() on it
            Map<String, String> more = Map.of("names[1]", "\"beta\"", "nums[2]", "30", "names.len()", "3", "shapes.len()", "3",
                    "shapes[0]", "shapes::Shape::Rect(shapes::Point {x: 0, y: 0}, shapes::Point {x: 3, y: 4})");
            for (var e : more.entrySet()) {
                String mine = evaluate(client, frameId, e.getKey());
                if (!e.getValue().equals(mine)) {
                    mismatches.add("evaluate " + e.getKey() + ": expected «" + e.getValue() + "» ours «" + mine + "»");
                }
            }
            System.out.println(mismatches.size() + " differ:\n" + String.join("\n", mismatches));
            assertTrue(mismatches.isEmpty(), mismatches.size() + " differ:\n" + String.join("\n", mismatches));
            client.ok("disconnect", Map.of("terminateDebuggee", true));
        }
    }

    /** gdb's backtrace lines: {@code #N  0x... in NAME (args) at ...} or {@code #0  NAME (args) at ...}: the names. */
    static List<String> backtrace(String gdb) {
        List<String> out = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^#\\d+\\s+(?:0x[0-9a-f]+ in )?(\\S+) \\(").matcher(gdb);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** A free function by its path, and a method by its type's path with and without the crate (impl Shape { fn area }). */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"shapes::area", "Shape::area", "shapes::Shape::area", "v0 Shape::area"})
    void functionBreakpointByRustPathStopsWhereRustGdbDoesWithItsBacktrace(String spec) throws Exception {
        // "v0 ": the program built with v0 symbol names, whose methods demangle as <shapes::Shape>::area
        String path = spec.replaceFirst("^v0 ", "");
        Path program = spec.startsWith("v0 ") ? shapes().resolveSibling("shapes_rs_v0") : shapes();
        Path bin = rustBin();
        String gdb = Gdb.run(List.of(bin.resolve("rust-gdb").toString()), program.getParent(), program, List.of(),
                // rust-gdb 1.95 says 'Function "Shape::area" not defined' (lldb, so CodeLLDB, takes the partial path): its answer for the full path is the oracle
                "break " + (path.equals("Shape::area") ? "shapes::Shape::area" : path), "run", "bt", "info args");
        java.util.regex.Matcher at = java.util.regex.Pattern.compile("Breakpoint 1 at 0x[0-9a-f]+: file [^,]+, line (\\d+)").matcher(gdb);
        assertTrue(at.find(), gdb);
        int gdbLine = Integer.parseInt(at.group(1));
        List<String> gdbFrames = backtrace(gdb.substring(gdb.indexOf("Breakpoint 1,")));
        try (DapTestClient client = server.connect()) {
            client.initialize();
            client.ok("launch", Map.of("program", program.toString()));
            client.event("process");
            JsonArray bps = body(client.ok("setFunctionBreakpoints", Map.of("breakpoints", List.of(Map.of("name", path)))))
                    .getAsJsonArray("breakpoints");
            assertTrue(bps.get(0).getAsJsonObject().get("verified").getAsBoolean(), bps.toString());
            client.ok("configurationDone", Map.of());
            int tid = body(client.event("stopped")).get("threadId").getAsInt();
            JsonArray frames = body(client.ok("stackTrace", Map.of("threadId", tid))).getAsJsonArray("stackFrames");
            assertEquals(gdbLine, frames.get(0).getAsJsonObject().get("line").getAsInt(), frames.toString());
            List<String> ours = new ArrayList<>();
            for (JsonElement f : frames) {
                ours.add(f.getAsJsonObject().get("name").getAsString());
            }
            System.out.println("rust-gdb: " + gdbFrames + "\nours:     " + ours);
            assertEquals(gdbFrames.subList(0, 2), ours.subList(0, 2)); // the user's frames; std's below are checked by name
            for (String g : gdbFrames) { // through std's frames (inlined ones too) to libc's; names cut at a space skipped
                assertTrue(g.endsWith(",") || ours.contains(g), g + " not in " + ours);
            }
            client.ok("disconnect", Map.of("terminateDebuggee", true));
        }
    }
}
