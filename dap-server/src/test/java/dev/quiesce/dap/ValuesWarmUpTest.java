package dev.quiesce.dap;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eclipse.lsp4j.debug.VariablesArguments;
import org.junit.jupiter.api.Test;

/**
 * The page describing's warm-up (issue 14) runs the real describe path on its made-up page
 * without failing (JsonWarmup swallows a failure: this is where one would show) and leaves no
 * variablesReference behind: the first real reference is still unknown afterwards.
 */
class ValuesWarmUpTest {
    @Test
    void describesItsPageAndRegistersNothing() {
        VariableRequests variables = new VariableRequests(new StackTraces(new SourceMap()));
        assertDoesNotThrow(variables::warmUp);
        VariablesArguments a = new VariablesArguments();
        a.setVariablesReference(1);
        var answer = variables.variables(null, a, Runnable::run);
        assertTrue(answer.isCompletedExceptionally(), "reference 1 should not exist after the warm-up");
    }
}
