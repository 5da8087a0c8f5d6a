package dev.quiesce.dap.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DapSchemaValidatorTest {

    private static DapSchemaValidator validator;

    @BeforeAll
    static void loadSchema() {
        validator = DapSchemaValidator.loadDefault();
    }

    private static JsonObject json(String text) {
        return JsonParser.parseString(text).getAsJsonObject();
    }

    private static void assertViolation(JsonObject message, String expected) {
        List<String> violations = validator.validate(message);
        assertTrue(violations.stream().anyMatch(v -> v.contains(expected)),
                () -> "expected a violation containing '" + expected + "' but got " + violations);
    }

    @Test
    void initializeResponseWithCapabilitiesIsValid() {
        JsonObject message = json("""
                {"seq": 1, "type": "response", "request_seq": 1, "success": true, "command": "initialize",
                 "body": {"supportsConfigurationDoneRequest": true,
                          "supportsStepBack": false,
                          "exceptionBreakpointFilters": [{"filter": "signals", "label": "Signals"}],
                          "supportedChecksumAlgorithms": ["SHA256"]}}""");
        assertEquals("InitializeResponse", validator.definitionFor(message));
        validator.assertValid(message);
    }

    @Test
    void capabilitiesAreCheckedThroughRefs() {
        JsonObject message = json("""
                {"seq": 1, "type": "response", "request_seq": 1, "success": true, "command": "initialize",
                 "body": {"exceptionBreakpointFilters": [{"filter": "signals"}],
                          "supportedChecksumAlgorithms": ["CRC32"]}}""");
        assertViolation(message,
                "$.body.exceptionBreakpointFilters[0].label: required property missing (ExceptionBreakpointsFilter)");
        assertViolation(message, "$.body.supportedChecksumAlgorithms[0]: value \"CRC32\" not in enum");
    }

    @Test
    void stoppedEventWithoutReasonIsRejected() {
        JsonObject message = json("""
                {"seq": 5, "type": "event", "event": "stopped", "body": {"threadId": 1}}""");
        assertEquals("StoppedEvent", validator.definitionFor(message));
        assertViolation(message, "$.body.reason: required property missing (StoppedEvent)");
        AssertionError error = assertThrows(AssertionError.class, () -> validator.assertValid(message));
        assertTrue(error.getMessage().contains("reason") && error.getMessage().contains("\"threadId\":1"));
    }

    @Test
    void threadIdAsStringIsRejected() {
        JsonObject message = json("""
                {"seq": 3, "type": "response", "request_seq": 2, "success": true, "command": "threads",
                 "body": {"threads": [{"id": 1, "name": "main"}, {"id": "2", "name": "worker"}]}}""");
        assertEquals("ThreadsResponse", validator.definitionFor(message));
        assertEquals(List.of("$.body.threads[1].id: expected integer but was string \"2\" (Thread)"),
                validator.validate(message));
    }

    @Test
    void exitCodeMustBeAnInteger() {
        JsonObject message = json("""
                {"seq": 9, "type": "event", "event": "exited", "body": {"exitCode": 1.5}}""");
        assertViolation(message, "$.body.exitCode: expected integer but was 1.5 (ExitedEvent)");
        // draft-04: no fraction part at all, even ".0" (which is how Gson writes a Java double).
        assertViolation(json("""
                {"seq": 9, "type": "event", "event": "exited", "body": {"exitCode": 1.0}}"""), "expected integer");
        validator.assertValid(json("""
                {"seq": 9, "type": "event", "event": "exited", "body": {"exitCode": -1}}"""));
    }

    @Test
    void errorResponseWithoutBodyIsRejected() {
        // What every Quiesce error response looked like until the schema was read in full.
        JsonObject message = json("""
                {"seq": 4, "type": "response", "request_seq": 3, "success": false,
                 "command": "stackTrace", "message": "x"}""");
        assertEquals("ErrorResponse", validator.definitionFor(message));
        assertEquals(List.of("$.body: required property missing (ErrorResponse)"), validator.validate(message));
    }

    @Test
    void errorResponseWithAStructuredErrorIsValid() {
        validator.assertValid(json("""
                {"seq": 4, "type": "response", "request_seq": 3, "success": false, "command": "stackTrace",
                 "message": "thread 7 is running",
                 "body": {"error": {"id": 2, "format": "thread 7 is running", "showUser": false}}}"""));
        validator.assertValid(json("""
                {"seq": 4, "type": "response", "request_seq": 3, "success": false, "command": "frobnicate",
                 "message": "x", "body": {}}"""));
    }

    @Test
    void errorResponseBodyIsStillChecked() {
        JsonObject message = json("""
                {"seq": 4, "type": "response", "request_seq": 3, "success": false, "command": "stackTrace",
                 "message": "x", "body": {"error": {"id": 7}}}""");
        assertViolation(message, "$.body.error.format: required property missing (Message)");
        assertViolation(json("""
                {"seq": 4, "type": "response", "request_seq": 3, "success": false, "command": "stackTrace",
                 "message": "x", "body": {"error": {"id": "7", "format": "x", "showUser": "yes"}}}"""),
                "$.body.error.showUser: expected boolean but was string \"yes\" (Message)");
        assertViolation(json("""
                {"seq": 4, "type": "response", "request_seq": 3, "success": false, "command": "stackTrace",
                 "message": "x", "body": "no"}"""), "$.body: expected object but was string \"no\" (ErrorResponse)");
    }

    @Test
    void errorResponseNeedsTheEnvelopeOfEveryResponse() {
        JsonObject message = json("""
                {"seq": 4, "type": "response", "success": false, "message": "x", "body": {}}""");
        assertViolation(message, "$.request_seq: required property missing (Response)");
        assertViolation(message, "$.command: required property missing (Response)");
    }

    @Test
    void integersMustFitTheWidthTheSchemaGives() {
        // Thread.id is an int32 with no minimum or maximum: only its format bounds it.
        assertViolation(json("""
                {"seq": 3, "type": "response", "request_seq": 2, "success": true, "command": "threads",
                 "body": {"threads": [{"id": 2147483648, "name": "main"}]}}"""),
                "$.body.threads[0].id: value 2147483648 does not fit int32 (Thread)");
        validator.assertValid(json("""
                {"seq": 3, "type": "response", "request_seq": 2, "success": true, "command": "threads",
                 "body": {"threads": [{"id": -2147483648, "name": "main"}]}}"""));
        assertViolation(json("""
                {"seq": 2147483648, "type": "event", "event": "initialized"}"""), "does not fit int32 (ProtocolMessage)");
    }

    @Test
    void requiredPropertiesAreCheckedAtEveryLevel() {
        // A stopped thread's frames: the response, its body, each frame and each frame's source.
        JsonObject message = json("""
                {"seq": 3, "type": "response", "request_seq": 2, "success": true, "command": "stackTrace",
                 "body": {"stackFrames": [{"id": 1, "name": "main", "line": 3},
                                          {"id": 2, "name": "f", "line": 1, "column": 1, "source": {"checksums": [{"algorithm": "MD5"}]}}]}}""");
        assertViolation(message, "$.body.stackFrames[0].column: required property missing (StackFrame)");
        assertViolation(message, "$.body.stackFrames[1].source.checksums[0].checksum: required property missing (Checksum)");
        assertViolation(json("""
                {"seq": 3, "type": "response", "request_seq": 2, "success": true, "command": "stackTrace"}"""),
                "$.body: required property missing (StackTraceResponse)");
    }

    @Test
    void outputEventWithStdoutCategoryIsValid() {
        JsonObject message = json("""
                {"seq": 6, "type": "event", "event": "output",
                 "body": {"category": "stdout", "output": "hello\\n"}}""");
        assertEquals("OutputEvent", validator.definitionFor(message));
        validator.assertValid(message);
    }

    @Test
    void customCommandIsCheckedAgainstBaseResponseOnly() {
        JsonObject message = json("""
                {"seq": 7, "type": "response", "request_seq": 6, "success": true, "command": "stepSyscall",
                 "body": {"anything": [1, "two", null]}}""");
        assertEquals("Response", validator.definitionFor(message));
        validator.assertValid(message);

        message.remove("request_seq");
        assertEquals(List.of("$.request_seq: required property missing (Response)"),
                validator.validate(message));
    }

    @Test
    void unknownEventIsCheckedAgainstBaseEvent() {
        JsonObject message = json("""
                {"seq": 8, "type": "event", "event": "quiesceSignal", "body": 42}""");
        assertEquals("Event", validator.definitionFor(message));
        validator.assertValid(message);
    }

    @Test
    void requestsAreCheckedByCommand() {
        JsonObject message = json("""
                {"seq": 2, "type": "request", "command": "runInTerminal", "arguments": {"cwd": "/tmp"}}""");
        assertEquals("RunInTerminalRequest", validator.definitionFor(message));
        assertViolation(message, "$.arguments.args: required property missing (RunInTerminalRequestArguments)");
    }

    @Test
    void envelopeProblemsAreReported() {
        assertViolation(json("""
                {"seq": 0, "type": "event", "event": "initialized"}"""),
                "$.seq: value 0 is below minimum 1 (ProtocolMessage)");
        assertViolation(json("""
                {"seq": 1, "type": "notification"}"""), "$.type: must be one of");
    }
}
