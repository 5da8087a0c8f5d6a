package dev.quiesce.dap;

import dev.quiesce.disasm.Capstone;
import dev.quiesce.engine.ProgramState;
import dev.quiesce.engine.TracedProcess;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.debug.DisassembleArguments;
import org.eclipse.lsp4j.debug.DisassembleResponse;
import org.eclipse.lsp4j.debug.DisassembledInstruction;
import org.eclipse.lsp4j.debug.ReadMemoryArguments;
import org.eclipse.lsp4j.debug.ReadMemoryResponse;
import org.eclipse.lsp4j.debug.WriteMemoryArguments;
import org.eclipse.lsp4j.debug.WriteMemoryResponse;

/**
 * readMemory, writeMemory and disassemble: memory through /proc/PID/mem, so they work while
 * threads run; our int3 bytes are never shown (the program's own bytes are).
 */
final class MemoryRequests {
    /** Bytes decoded per instruction wanted: x86 instructions are at most 15 bytes. */
    private static final int MAX_INSTRUCTION = 15;
    private static final int MAX_READ = 1 << 20;
    private static final int MAX_DISASSEMBLE = 10_000;

    private MemoryRequests() {
    }

    /** "0x401186" or "4198790" (a memoryReference as clients send it back to us). */
    static long address(String memoryReference, Long offset) {
        if (memoryReference == null || memoryReference.isBlank()) {
            throw new IllegalArgumentException("memoryReference is required (an address such as 0x401000)");
        }
        String text = memoryReference.strip().toLowerCase();
        try {
            long base = text.startsWith("0x") ? Long.parseUnsignedLong(text.substring(2), 16) : Long.parseUnsignedLong(text);
            return base + (offset == null ? 0 : offset);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("memoryReference \"" + memoryReference + "\" is not an address (use 0x... or a number)");
        }
    }

    static String hex(long address) {
        return "0x" + Long.toHexString(address);
    }

    static CompletableFuture<ReadMemoryResponse> read(ProgramState p, ReadMemoryArguments args) {
        long address = address(args.getMemoryReference(), args.getOffset() == null ? null : args.getOffset().longValue());
        int count = args.getCount();
        if (count < 0 || count > MAX_READ) {
            throw new IllegalArgumentException("readMemory count must be between 0 and " + MAX_READ + ", not " + count);
        }
        return p.readMemory(address, count).thenApply(bytes -> {
            ReadMemoryResponse response = new ReadMemoryResponse();
            response.setAddress(hex(address));
            response.setData(Base64.getEncoder().encodeToString(bytes));
            if (bytes.length < count) {
                response.setUnreadableBytes(count - bytes.length);
            }
            return response;
        });
    }

    static CompletableFuture<WriteMemoryResponse> write(TracedProcess p, WriteMemoryArguments args) {
        long address = address(args.getMemoryReference(), args.getOffset() == null ? null : args.getOffset().longValue());
        byte[] data;
        try {
            data = Base64.getDecoder().decode(args.getData() == null ? "" : args.getData());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("writeMemory data must be base64: " + e.getMessage());
        }
        return p.writeMemory(address, data).thenApply(ignored -> {
            WriteMemoryResponse response = new WriteMemoryResponse();
            response.setBytesWritten(data.length);
            return response;
        });
    }

    /**
     * {@code instructionCount} instructions around the address; a negative {@code instructionOffset}
     * decodes from earlier bytes and keeps the run of instructions that lands exactly on the address.
     * Unreadable memory gives "??" instructions of one byte, as the protocol suggests.
     */
    static CompletableFuture<DisassembleResponse> disassemble(ProgramState p, DisassembleArguments args) {
        return disassemble(p, args, List.of());
    }

    /** With the modules mapped now, instructions carry their function symbol and source line. */
    static CompletableFuture<DisassembleResponse> disassemble(ProgramState p, DisassembleArguments args,
                                                              List<dev.quiesce.symbols.LoadedModule> modules) {
        return disassemble(p, args, modules, new SourceMap());
    }

    /** ... and source paths rewritten by the session's {@code sourceMap}. */
    static CompletableFuture<DisassembleResponse> disassemble(ProgramState p, DisassembleArguments args,
                                                              List<dev.quiesce.symbols.LoadedModule> modules, SourceMap sourceMap) {
        if (!Capstone.available()) {
            throw new IllegalArgumentException("disassembly needs Capstone: apt-get install libcapstone4");
        }
        long address = address(args.getMemoryReference(), args.getOffset() == null ? null : args.getOffset().longValue());
        int count = args.getInstructionCount();
        int instructionOffset = args.getInstructionOffset() == null ? 0 : args.getInstructionOffset();
        // A count of 2^31 - 1 made the span below overflow and the loop run 2^31 times: one
        // request decodes at most MAX_DISASSEMBLE instructions (clients ask for tens to hundreds).
        if (count < 0 || count > MAX_DISASSEMBLE || Math.abs((long) instructionOffset) > MAX_DISASSEMBLE) {
            throw new IllegalArgumentException("disassemble instructionCount and instructionOffset must be within "
                    + MAX_DISASSEMBLE + " (asked " + count + " at offset " + instructionOffset + ")");
        }
        int before = Math.max(0, -instructionOffset);
        long start = address - (long) before * MAX_INSTRUCTION;
        int span = (before + Math.max(count + instructionOffset, 0) + count) * MAX_INSTRUCTION + MAX_INSTRUCTION;
        return p.readMemory(start, span).thenApplyAsync(bytes -> { // decoding is not the tracer thread's work
            List<Capstone.Instruction> decoded = decode(bytes, start, address, before);
            int at = indexOf(decoded, address);
            List<DisassembledInstruction> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = (at < 0 ? 0 : at) + instructionOffset + i;
                if (at >= 0 && index >= 0 && index < decoded.size()) {
                    out.add(instruction(decoded.get(index)));
                } else if (at >= 0 && index < 0) {
                    out.add(unreadable(decoded.isEmpty() ? address + index : decoded.get(0).address() + index));
                } else {
                    out.add(unreadable(nextAddress(decoded, out, address)));
                }
            }
            if (!Boolean.FALSE.equals(args.getResolveSymbols())) {
                annotate(out, new CodeLocations(modules), sourceMap);
            }
            DisassembleResponse response = new DisassembleResponse();
            response.setInstructions(out.toArray(new DisassembledInstruction[0]));
            return response;
        });
    }

    /**
     * Symbols ({@code factorial+4}) and source lines on decoded instructions. The source goes on
     * the first instruction with a line and wherever the file changes, as the protocol allows.
     */
    private static void annotate(List<DisassembledInstruction> out, CodeLocations locations, SourceMap sourceMap) {
        String lastPath = null;
        for (DisassembledInstruction d : out) {
            if ("??".equals(d.getInstruction()) && d.getInstructionBytes() == null) {
                continue;
            }
            long address = Long.parseUnsignedLong(d.getAddress().substring(2), 16);
            locations.symbolAt(address).ifPresent(sym -> d.setSymbol(sym.at(address)));
            var position = locations.positionAt(address);
            if (position.isPresent()) {
                d.setLine(position.get().line());
                if (position.get().column() > 0) {
                    d.setColumn(position.get().column());
                }
                if (!position.get().path().equals(lastPath)) {
                    d.setLocation(StackTraces.source(sourceMap.toLocal(position.get().path())));
                    lastPath = position.get().path();
                }
            }
        }
    }

    /** Decodes from the first start before the address whose instructions run exactly onto it. */
    private static List<Capstone.Instruction> decode(byte[] bytes, long start, long address, int before) {
        for (long s = start; s <= address; s++) {
            int skip = (int) (s - start);
            if (skip >= bytes.length) {
                break;
            }
            byte[] slice = java.util.Arrays.copyOfRange(bytes, skip, bytes.length);
            List<Capstone.Instruction> decoded = Capstone.disassemble(slice, s, 0);
            if (indexOf(decoded, address) >= 0) {
                return decoded;
            }
        }
        return List.of();
    }

    private static int indexOf(List<Capstone.Instruction> decoded, long address) {
        for (int i = 0; i < decoded.size(); i++) {
            if (decoded.get(i).address() == address) {
                return i;
            }
        }
        return -1;
    }

    private static DisassembledInstruction instruction(Capstone.Instruction insn) {
        DisassembledInstruction d = new DisassembledInstruction();
        d.setAddress(hex(insn.address()));
        StringBuilder bytes = new StringBuilder();
        for (byte b : insn.bytes()) {
            bytes.append(bytes.length() > 0 ? " " : "").append(String.format("%02x", b & 0xff));
        }
        d.setInstructionBytes(bytes.toString());
        d.setInstruction(insn.text());
        return d;
    }

    private static long nextAddress(List<Capstone.Instruction> decoded, List<DisassembledInstruction> out, long fallback) {
        if (!out.isEmpty()) {
            String last = out.get(out.size() - 1).getAddress();
            long at = Long.parseUnsignedLong(last.substring(2), 16);
            String bytes = out.get(out.size() - 1).getInstructionBytes();
            return at + (bytes == null || bytes.isEmpty() ? 1 : bytes.split(" ").length);
        }
        return fallback;
    }

    private static DisassembledInstruction unreadable(long address) {
        DisassembledInstruction d = new DisassembledInstruction();
        d.setAddress(hex(address));
        d.setInstruction("??");
        d.setPresentationHint(org.eclipse.lsp4j.debug.DisassembledInstructionPresentationHint.INVALID);
        return d;
    }
}
