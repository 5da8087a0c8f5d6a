package dev.quiesce.dap;

import static dev.quiesce.dap.LaunchAndExitTest.launchArgs;
import static dev.quiesce.dap.testing.DapTestClient.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.quiesce.dap.testing.DapTestBase;
import dev.quiesce.dap.testing.DapTestClient;
import dev.quiesce.dap.testing.Gdb;
import dev.quiesce.dap.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The cpp_throw and cpp_catch exception filters (issue 16) on test-programs/src/throws.cpp,
 * built by g++ (libstdc++) and by clang++ -stdlib=libc++ (libc++abi): a std::runtime_error
 * thrown three frames below main, a geo::BadShape caught by its base class, an int, and a
 * std::out_of_range made into a std::exception_ptr and rethrown (caught as a dependent exception;
 * libc++ makes the exception_ptr by throwing and catching it, libstdc++ without a throw). gdb 13 is
 * the oracle: at a breakpoint on __cxa_throw its "info symbol $rsi" names the type_info of each
 * thrown type, and its backtrace gives the thrower's frames.
 */
class CxxExceptionFiltersTest extends DapTestBase {
    private static final Pattern TYPEINFO = Pattern.compile("^typeinfo for (.+?)(@\\S+)? in section .*$");
    private static final int ROUNDS = 2;

    private static Path binary(String name) {
        Path p = TestServer.program(name);
        Assumptions.assumeTrue(Files.exists(p), name + " was not built (needs clang++-16 and libc++-16-dev)");
        return p;
    }

    /** The thrown types in order, as gdb names the type_info each __cxa_throw gets. */
    private static List<String> gdbThrownTypes(Path program) throws Exception {
        List<String> commands = new ArrayList<>(List.of("set breakpoint pending on", "break __cxa_throw", "run"));
        for (int i = 0; i < ROUNDS + 3; i++) {
            commands.add("info symbol $rsi");
            commands.add("continue");
        }
        String out = Gdb.run(program.getParent(), program, List.of(String.valueOf(ROUNDS)), commands.toArray(new String[0]));
        List<String> types = new ArrayList<>();
        for (String line : out.split("\n")) {
            Matcher m = TYPEINFO.matcher(line.strip());
            if (m.matches()) {
                types.add(m.group(1));
            }
        }
        return types;
    }

    /** gdb's backtrace at the first throw: "depth3:19" for each frame above __cxa_throw. */
    private static List<String> gdbFirstThrowFrames(Path program) throws Exception {
        String out = Gdb.run(program.getParent(), program, List.of(String.valueOf(ROUNDS)),
                "set breakpoint pending on", "break __cxa_throw", "run", "bt");
        List<String> frames = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^#\\d+\\s+(?:0x\\S+ in )?(\\w+) \\(.*\\) at \\S+:(\\d+)$").matcher(out);
        while (m.find()) {
            frames.add(m.group(1) + ":" + m.group(2));
        }
        return frames;
    }

    private static void start(DapTestClient client, String program, Map<String, Object> exceptionBreakpoints) {
        client.initialize();
        client.ok("launch", launchArgs(program, String.valueOf(ROUNDS)));
        client.ok("setExceptionBreakpoints", exceptionBreakpoints);
        client.ok("configurationDone", Map.of());
    }

    /** Stops until the program exits: each stop's description, the thread continued. */
    private static List<JsonObject> stopsUntilExit(DapTestClient client) {
        List<JsonObject> stops = new ArrayList<>();
        while (true) {
            JsonObject m = client.next(e -> DapTestClient.isType(e, "event")
                    && (e.get("event").getAsString().equals("stopped") || e.get("event").getAsString().equals("exited")), "a stop or the exit");
            if (m.get("event").getAsString().equals("exited")) {
                assertEquals(ROUNDS + 3, body(m).get("exitCode").getAsInt(), "every exception was still caught by the program");
                return stops;
            }
            stops.add(body(m));
            client.ok("continue", Map.of("threadId", body(m).get("threadId").getAsInt()));
        }
    }

    private static List<String> frames(DapTestClient client, int tid) {
        JsonArray frames = body(client.ok("stackTrace", Map.of("threadId", tid))).getAsJsonArray("stackFrames");
        List<String> out = new ArrayList<>();
        for (int i = 1; i < frames.size(); i++) {
            JsonObject f = frames.get(i).getAsJsonObject();
            if (f.has("source") && f.getAsJsonObject("source").has("path")) {
                out.add(f.get("name").getAsString().replaceAll("\\(.*", "") + ":" + f.get("line").getAsInt());
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"throws", "throws_libcxx"})
    void throwStopsNameEachThrownTypeAsGdbDoes(String program) throws Exception {
        Path binary = binary(program);
        List<String> expected = gdbThrownTypes(binary);
        List<String> thrown = new ArrayList<>(List.of("std::runtime_error", "std::runtime_error", "geo::BadShape", "int"));
        if (program.endsWith("libcxx")) {
            thrown.add("std::out_of_range"); // libc++'s make_exception_ptr throws it to catch it
        }
        assertEquals(thrown, expected, "gdb's view of the program");
        List<String> expectedFrames = gdbFirstThrowFrames(binary);
        assertEquals(List.of("depth3:19", "depth2:25", "depth1:29", "main:46"), expectedFrames, "gdb's backtrace");
        try (DapTestClient client = server.connect()) {
            start(client, program, Map.of("filters", List.of("cpp_throw")));
            JsonObject first = body(client.event("stopped"));
            int tid = first.get("threadId").getAsInt();
            assertEquals("exception", first.get("reason").getAsString());
            assertEquals("C++ exception thrown: std::runtime_error", first.get("description").getAsString());
            assertEquals("std::runtime_error", first.get("text").getAsString());
            JsonArray all = body(client.ok("stackTrace", Map.of("threadId", tid))).getAsJsonArray("stackFrames");
            assertEquals("__cxa_throw", all.get(0).getAsJsonObject().get("name").getAsString().replaceAll("\\(.*", ""));
            assertEquals(expectedFrames, frames(client, tid), "the thrower's frames, as gdb's backtrace");
            JsonObject info = body(client.ok("exceptionInfo", Map.of("threadId", tid)));
            assertEquals("std::runtime_error", info.get("exceptionId").getAsString());
            assertEquals("C++ exception thrown: std::runtime_error", info.get("description").getAsString());
            assertEquals("always", info.get("breakMode").getAsString());
            assertEquals("std::runtime_error", info.getAsJsonObject("details").get("typeName").getAsString());
            client.ok("continue", Map.of("threadId", tid));
            List<String> types = new ArrayList<>(List.of(first.get("text").getAsString()));
            for (JsonObject stop : stopsUntilExit(client)) {
                assertTrue(stop.get("description").getAsString().startsWith("C++ exception thrown: "), stop.toString());
                types.add(stop.get("text").getAsString());
            }
            assertEquals(expected, types);
            client.assertSchemaValid();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"throws", "throws_libcxx"})
    void catchStopsInTheHandlersFrameWithTheCaughtType(String program) throws Exception {
        Path binary = binary(program);
        List<String> thrown = gdbThrownTypes(binary);
        try (DapTestClient client = server.connect()) {
            start(client, program, Map.of("filters", List.of("cpp_catch")));
            JsonObject first = body(client.event("stopped"));
            int tid = first.get("threadId").getAsInt();
            assertEquals("C++ exception caught: std::runtime_error", first.get("description").getAsString());
            assertEquals("main:47", frames(client, tid).get(0), "the catch handler of main's try at line 46");
            JsonObject info = body(client.ok("exceptionInfo", Map.of("threadId", tid)));
            assertEquals("std::runtime_error", info.get("exceptionId").getAsString());
            assertTrue(info.getAsJsonObject("details").get("message").getAsString().contains("the exception object is at 0x"));
            client.ok("continue", Map.of("threadId", tid));
            List<String> types = new ArrayList<>(List.of(first.get("text").getAsString()));
            for (JsonObject stop : stopsUntilExit(client)) {
                types.add(stop.get("text").getAsString());
            }
            List<String> expected = new ArrayList<>(thrown);
            expected.add("std::out_of_range"); // rethrown from the exception_ptr: a dependent exception, no __cxa_throw
            assertEquals(expected, types, "each exception is caught once, by the type thrown (BadShape by its base's handler)");
            client.assertSchemaValid();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"throws", "throws_libcxx"})
    void aConditionStopsOnlyForTheTypesItNames(String program) throws Exception {
        binary(program);
        try (DapTestClient client = server.connect()) {
            start(client, program, Map.of("filters", List.of(), "filterOptions", List.of(
                    Map.of("filterId", "cpp_throw", "condition", "geo::BadShape, int"),
                    Map.of("filterId", "cpp_catch", "condition", "std::runtime_error"))));
            List<String> stops = new ArrayList<>();
            for (JsonObject stop : stopsUntilExit(client)) {
                stops.add(stop.get("description").getAsString());
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < ROUNDS; i++) {
                expected.add("C++ exception caught: std::runtime_error");
            }
            expected.add("C++ exception thrown: geo::BadShape");
            expected.add("C++ exception thrown: int");
            assertEquals(expected, stops);
            client.assertSchemaValid();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"throws"})
    void turnedOffWhileRunningTheProgramRunsToItsEnd(String program) throws Exception {
        try (DapTestClient client = server.connect()) {
            start(client, program, Map.of("filters", List.of("cpp_throw")));
            int tid = body(client.event("stopped")).get("threadId").getAsInt();
            client.ok("setExceptionBreakpoints", Map.of("filters", List.of()));
            client.ok("continue", Map.of("threadId", tid));
            assertTrue(stopsUntilExit(client).isEmpty(), "no stop after the filter went off");
            JsonObject bad = client.request("setExceptionBreakpoints", Map.of("filters", List.of(), "filterOptions",
                    List.of(Map.of("filterId", "cpp_throw", "condition", "std::vector<int"))));
            assertFalse(bad.get("success").getAsBoolean());
            assertEquals("unbalanced '<' in the exception type names \"std::vector<int\"", bad.get("message").getAsString());
            client.assertSchemaValid();
        }
    }
}
