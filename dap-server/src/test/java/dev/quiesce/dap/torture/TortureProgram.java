package dev.quiesce.dap.torture;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real program nobody here wrote, run under the torture: how to launch it, the hot functions
 * to break in, and what drives it meanwhile (a server's clients).
 *
 * @param load started once the program runs; closed at the end (null: the program drives itself)
 */
public record TortureProgram(String name, Path binary, List<String> args, List<String> functions,
                             boolean nonStop, LoadFactory load) {

    /** Makes the load that drives a running program (a server's clients). */
    public interface LoadFactory {
        AutoCloseable start() throws Exception;
    }

    /** The built real programs (test-programs `make real`) in {@code dir}, and why others are missing. */
    public static List<TortureProgram> available(Path dir, List<String> missing) throws Exception {
        List<TortureProgram> programs = new java.util.ArrayList<>();
        add(programs, missing, dir, "sqlite_demo", p -> new TortureProgram("sqlite (amalgamation, -O2)", p, List.of(),
                List.of("sqlite3VdbeExec", "sqlite3_step", "print_row", "sqlite3Parser"), true, null));
        add(programs, missing, dir, "lua", p -> new TortureProgram("lua 5.4 (Debian source, -O0)", p,
                List.of(luaScript().toString()),
                List.of("luaH_resize", "luaS_newlstr", "luaV_concat", "luaD_precall"), true, null));
        add(programs, missing, dir, "memcached", p -> {
            int port = MemcachedLoad.freePort();
            List<String> args = new java.util.ArrayList<>(List.of("-p", Integer.toString(port), "-U", "0",
                    "-l", "127.0.0.1", "-t", "4"));
            if ("root".equals(System.getProperty("user.name"))) {
                args.addAll(List.of("-u", "root")); // memcached refuses to run as root without it
            }
            return new TortureProgram("memcached 1.6 (Debian source, -O0, 4 worker threads, non-stop)", p, args,
                    List.of("process_command_ascii", "do_item_get", "do_store_item", "assoc_find"), true,
                    () -> MemcachedLoad.start(port, 4));
        });
        // Rust (issue 15): test-programs' own shapes.rs, legacy and v0 symbol names, stopped in its
        // functions (by path, a method by its type) with every std value it holds walked. Built
        // only where rustc is: not a "real program", so its absence is not reported missing.
        for (String rust : List.of("shapes_rs", "shapes_rs_v0")) {
            Path binary = dir.resolve(rust);
            if (Files.isExecutable(binary)) {
                programs.add(new TortureProgram(rust + " (Rust, -C opt-level=0)", binary, List.of(),
                        List.of("shapes::area", "Shape::area", "shapes::inspect", "shapes::parse", "shapes::total"), true, null));
            }
        }
        // A real crate (issue 15): xml-rs 0.8's xml-analyze, built from Debian's librust-xml-rs-dev
        // sources where that package is; optional as the Rust programs above are.
        Path xml = dir.resolve("xml_analyze_rs");
        if (Files.isExecutable(xml)) {
            programs.add(new TortureProgram("xml-rs 0.8 xml-analyze (Debian's crate source, Rust, -C opt-level=0)", xml,
                    List.of(dir.resolve("xml_sample.xml").toString()),
                    List.of("xml::reader::lexer::Lexer::read_next_token", "xml::reader::lexer::Lexer::normal",
                            "xml::reader::lexer::Lexer::tag_opened"), true, null));
        }
        return programs;
    }

    private interface Maker {
        TortureProgram make(Path binary) throws Exception;
    }

    private static void add(List<TortureProgram> to, List<String> missing, Path dir, String file, Maker maker) throws Exception {
        Path binary = dir.resolve(file);
        if (Files.isExecutable(binary)) {
            to.add(maker.make(binary));
        } else {
            missing.add(binary + " (test-programs `make real` could not fetch its source)");
        }
    }

    /** A Lua script that allocates tables and strings for a long time (the torture ends it). */
    private static Path luaScript() throws java.io.IOException {
        Path script = Files.createTempFile("quiesce-torture", ".lua");
        script.toFile().deleteOnExit();
        Files.writeString(script, """
                local keep = {}
                for round = 1, 1000000000 do
                  local t = {}
                  for i = 1, 200 do
                    local s = "key" .. round .. ":" .. i
                    t[s] = {i, s, i * 2.5, function() return s end}
                  end
                  keep[round % 50] = t
                  if round % 100 == 0 then collectgarbage("step") end
                end
                """);
        return script;
    }

    Map<String, Object> launchArguments() {
        return Map.of("program", binary.toString(), "args", args, "nonStop", nonStop);
    }

    Optional<LoadFactory> loadFactory() {
        return Optional.ofNullable(load);
    }
}
