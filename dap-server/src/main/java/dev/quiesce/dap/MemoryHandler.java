package dev.quiesce.dap;

import org.eclipse.lsp4j.debug.Capabilities;
import org.eclipse.lsp4j.debug.DisassembleArguments;
import org.eclipse.lsp4j.debug.ReadMemoryArguments;
import org.eclipse.lsp4j.debug.WriteMemoryArguments;

/** The program's memory: readMemory, writeMemory, disassemble ({@link MemoryRequests} does the work). */
final class MemoryHandler implements RequestHandler {
    private final Session session;

    MemoryHandler(Session session) {
        this.session = session;
    }

    @Override
    public void register(Dispatcher d) {
        d.on("readMemory", ReadMemoryArguments.class, args -> session.respond(MemoryRequests.read(session.readable(), args)))
                .needs(Precondition.readable("readMemory")).refusesBadArguments("readMemory");
        d.on("writeMemory", WriteMemoryArguments.class, args -> session.respond(MemoryRequests.write(session.process, args).thenApply(response -> {
            session.clientFeatures.memoryWritten(session.client, session.events, MemoryRequests.address(args.getMemoryReference(),
                    args.getOffset() == null ? null : args.getOffset().longValue()), response.getBytesWritten());
            return response;
        }))).needs(Precondition.program("writeMemory")).refusesBadArguments("writeMemory");
        d.on("disassemble", DisassembleArguments.class,
                args -> session.respond(MemoryRequests.disassemble(session.readable(), args, session.modules.current(), session.sourceMap)))
                .needs(Precondition.readable("disassemble")).refusesBadArguments("disassemble");
    }

    @Override
    public void capabilities(Capabilities c) {
        c.setSupportsReadMemoryRequest(true);
        c.setSupportsWriteMemoryRequest(true);
        c.setSupportsDisassembleRequest(dev.quiesce.disasm.Capstone.installed());
    }
}
