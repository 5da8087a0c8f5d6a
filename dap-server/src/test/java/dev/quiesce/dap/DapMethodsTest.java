package dev.quiesce.dap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.debug.services.IDebugProtocolClient;
import org.eclipse.lsp4j.debug.services.IDebugProtocolServer;
import org.eclipse.lsp4j.jsonrpc.Endpoint;
import org.eclipse.lsp4j.jsonrpc.json.JsonRpcMethod;
import org.eclipse.lsp4j.jsonrpc.services.ServiceEndpoints;
import org.junit.jupiter.api.Test;

/**
 * The DAP tables and client written out for a faster start (issue 19) say exactly what LSP4J's
 * reflection over its DAP interfaces says: if an LSP4J upgrade changes a request, event or type,
 * this fails and names it.
 */
class DapMethodsTest {

    @Test
    void theServerTableIsLsp4jsDebugProtocolServer() {
        assertSame(ServiceEndpoints.getSupportedMethods(IDebugProtocolServer.class), DapMethods.SERVER);
    }

    @Test
    void theClientTableIsLsp4jsDebugProtocolClient() {
        assertSame(ServiceEndpoints.getSupportedMethods(IDebugProtocolClient.class), DapMethods.CLIENT);
    }

    /** Every event and reverse request of the client goes to the endpoint under its DAP name, as a notification or a request as declared. */
    @Test
    void theClientSendsEveryMethodUnderItsDapName() throws Exception {
        List<String> notified = new ArrayList<>();
        List<String> requested = new ArrayList<>();
        Endpoint recorder = new Endpoint() {
            @Override
            public CompletableFuture<?> request(String method, Object parameter) {
                requested.add(method);
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void notify(String method, Object parameter) {
                notified.add(method);
            }
        };
        DapClient client = new DapClient(recorder);
        int methods = 0;
        for (Method m : IDebugProtocolClient.class.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            Method own = DapClient.class.getMethod(m.getName(), m.getParameterTypes());
            assertEquals(DapClient.class, own.getDeclaringClass(), m.getName() + " is not overridden: LSP4J's default would throw");
            notified.clear();
            requested.clear();
            own.invoke(client, new Object[m.getParameterCount()]);
            JsonRpcMethod declared = DapMethods.CLIENT.get(m.getName());
            assertTrue(declared != null, m.getName() + " is not in the client table");
            assertEquals(declared.isNotification() ? List.of(m.getName()) : List.of(), notified, m.getName());
            assertEquals(declared.isNotification() ? List.of() : List.of(m.getName()), requested, m.getName());
            methods++;
        }
        assertEquals(DapMethods.CLIENT.size(), methods);
    }

    private static void assertSame(Map<String, JsonRpcMethod> expected, Map<String, JsonRpcMethod> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, e) -> {
            JsonRpcMethod a = actual.get(name);
            assertEquals(e.isNotification(), a.isNotification(), name + ": notification");
            assertEquals(e.getReturnType(), a.getReturnType(), name + ": result type");
            assertEquals(List.of(e.getParameterTypes()), List.of(a.getParameterTypes()), name + ": argument types");
            assertEquals(e.getReturnTypeAdapterFactory(), a.getReturnTypeAdapterFactory(), name + ": result adapter");
        });
    }
}
