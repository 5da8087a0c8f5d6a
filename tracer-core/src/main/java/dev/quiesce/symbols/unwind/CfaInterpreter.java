package dev.quiesce.symbols.unwind;

import dev.quiesce.symbols.dwarf.DwarfCursor;
import dev.quiesce.symbols.dwarf.DwarfException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs the call frame instructions of a CIE and FDE (DWARF 5 §6.4.2) up to a pc and gives that
 * pc's row of the table.
 */
public final class CfaInterpreter {
    private static final int ADVANCE_LOC = 0x40;
    private static final int OFFSET = 0x80;
    private static final int RESTORE = 0xc0;

    private final Fde fde;
    private final Cie cie;
    private final PointerEncoding.Bases bases;
    private Map<Integer, RegisterRule> rules = new HashMap<>();
    private CfaRule cfa = new CfaRule.RegisterOffset(Dwarf86Registers.RSP, 8);
    private Map<Integer, RegisterRule> initialRules = Map.of();
    private final Deque<State> remembered = new ArrayDeque<>();
    private long location;

    private record State(CfaRule cfa, Map<Integer, RegisterRule> rules) {
    }

    private CfaInterpreter(Fde fde, PointerEncoding.Bases bases) {
        this.fde = fde;
        this.cie = fde.cie();
        this.bases = bases;
    }

    /**
     * The row for {@code pc} (a link-time address inside the FDE's range). {@code bases} decode
     * DW_CFA_set_loc's operand; may be null when the FDE has none.
     */
    public static UnwindRow rowAt(Fde fde, long pc, PointerEncoding.Bases bases) {
        CfaInterpreter in = new CfaInterpreter(fde, bases);
        in.location = fde.pcBegin();
        in.execute(fde.cie().instructions(), Long.MAX_VALUE, true);
        in.initialRules = new HashMap<>(in.rules);
        in.location = fde.pcBegin();
        in.execute(fde.instructions(), pc, false);
        return new UnwindRow(in.location, in.cfa, in.rules, fde);
    }

    /** Every row of the FDE's table, in address order (the first is at pcBegin). */
    public static java.util.List<Long> rowLocations(Fde fde, PointerEncoding.Bases bases) {
        java.util.List<Long> locations = new java.util.ArrayList<>();
        locations.add(fde.pcBegin());
        CfaInterpreter in = new CfaInterpreter(fde, bases);
        in.execute(fde.cie().instructions(), Long.MAX_VALUE, true);
        in.location = fde.pcBegin();
        in.locationListener = locations;
        in.execute(fde.instructions(), Long.MAX_VALUE, false);
        return locations;
    }

    private java.util.List<Long> locationListener;

    /** Executes until the location would pass {@code pc}. */
    private void execute(ByteBuffer code, long pc, boolean inCie) {
        DwarfCursor c = new DwarfCursor(code);
        while (!c.atEnd()) { // every instruction reads its opcode byte; nothing jumps back in CFI
            int at = c.position();
            int op = c.u8();
            try {
                if (!step(op, c, pc, inCie)) {
                    return;
                }
            } catch (IndexOutOfBoundsException e) {
                throw new DwarfException("call frame instruction 0x" + Integer.toHexString(op) + " at " + at
                        + " truncated (" + where() + ")");
            }
        }
    }

    /** One instruction; false when an advance goes past {@code pc}. */
    private boolean step(int op, DwarfCursor c, long pc, boolean inCie) {
        switch (op & 0xc0) {
            case ADVANCE_LOC:
                return advanceTo(location + (op & 0x3f) * cie.codeAlignment(), pc);
            case OFFSET:
                rules.put(op & 0x3f, new RegisterRule.Offset(c.uleb() * cie.dataAlignment()));
                return true;
            case RESTORE:
                restore(op & 0x3f, inCie);
                return true;
            default:
                break;
        }
        switch (op) {
            case 0x00 -> { } // DW_CFA_nop
            case 0x01 -> { // DW_CFA_set_loc
                if (bases == null) {
                    throw new DwarfException("DW_CFA_set_loc without pointer bases (" + where() + ")");
                }
                return advanceTo(PointerEncoding.read(c, cie.fdeEncoding(), bases), pc);
            }
            case 0x02 -> { return advanceTo(location + c.u8() * cie.codeAlignment(), pc); }
            case 0x03 -> { return advanceTo(location + c.u16() * cie.codeAlignment(), pc); }
            case 0x04 -> { return advanceTo(location + c.u32() * cie.codeAlignment(), pc); }
            case 0x05 -> rules.put(reg(c), new RegisterRule.Offset(c.uleb() * cie.dataAlignment()));
            case 0x06 -> restore(reg(c), inCie);
            case 0x07 -> rules.put(reg(c), new RegisterRule.Undefined());
            case 0x08 -> rules.put(reg(c), new RegisterRule.SameValue());
            case 0x09 -> {
                int r = reg(c);
                rules.put(r, new RegisterRule.InRegister(reg(c)));
            }
            case 0x0a -> remembered.push(new State(cfa, new HashMap<>(rules))); // DW_CFA_remember_state
            case 0x0b -> { // DW_CFA_restore_state: the CFA rule comes back too, as GCC's output expects
                if (remembered.isEmpty()) {
                    throw new DwarfException("DW_CFA_restore_state without remember_state (" + where() + ")");
                }
                State s = remembered.pop();
                cfa = s.cfa();
                rules = s.rules();
            }
            case 0x0c -> { // DW_CFA_def_cfa
                int r = reg(c);
                cfa = new CfaRule.RegisterOffset(r, c.uleb());
            }
            case 0x0d -> cfa = new CfaRule.RegisterOffset(reg(c), cfaOffset()); // DW_CFA_def_cfa_register
            case 0x0e -> cfa = new CfaRule.RegisterOffset(cfaRegister(), c.uleb()); // DW_CFA_def_cfa_offset
            case 0x0f -> cfa = new CfaRule.Expression(block(c)); // DW_CFA_def_cfa_expression
            case 0x10 -> {
                int r = reg(c);
                rules.put(r, new RegisterRule.Expression(block(c)));
            }
            case 0x11 -> {
                int r = reg(c);
                rules.put(r, new RegisterRule.Offset(c.sleb() * cie.dataAlignment()));
            }
            case 0x12 -> { // DW_CFA_def_cfa_sf
                int r = reg(c);
                cfa = new CfaRule.RegisterOffset(r, c.sleb() * cie.dataAlignment());
            }
            case 0x13 -> cfa = new CfaRule.RegisterOffset(cfaRegister(), c.sleb() * cie.dataAlignment());
            case 0x14 -> {
                int r = reg(c);
                rules.put(r, new RegisterRule.ValOffset(c.uleb() * cie.dataAlignment()));
            }
            case 0x15 -> {
                int r = reg(c);
                rules.put(r, new RegisterRule.ValOffset(c.sleb() * cie.dataAlignment()));
            }
            case 0x16 -> {
                int r = reg(c);
                rules.put(r, new RegisterRule.ValExpression(block(c)));
            }
            case 0x2e -> c.uleb(); // DW_CFA_GNU_args_size: only matters for landing pads
            case 0x2f -> { // DW_CFA_GNU_negative_offset_extended
                int r = reg(c);
                rules.put(r, new RegisterRule.Offset(-c.uleb() * cie.dataAlignment()));
            }
            default -> throw new DwarfException("unknown call frame instruction 0x" + Integer.toHexString(op)
                    + " (" + where() + ")");
        }
        return true;
    }

    private boolean advanceTo(long newLocation, long pc) {
        if (Long.compareUnsigned(newLocation, pc) > 0) {
            return false;
        }
        location = newLocation;
        if (locationListener != null) {
            locationListener.add(newLocation);
        }
        return true;
    }

    private void restore(int register, boolean inCie) {
        if (inCie) {
            throw new DwarfException("DW_CFA_restore in a CIE's initial instructions (" + where() + ")");
        }
        RegisterRule initial = initialRules.get(register);
        if (initial == null) {
            rules.remove(register);
        } else {
            rules.put(register, initial);
        }
    }

    private int cfaRegister() {
        if (cfa instanceof CfaRule.RegisterOffset ro) {
            return ro.register();
        }
        throw new DwarfException("CFA offset change while the CFA is an expression (" + where() + ")");
    }

    private long cfaOffset() {
        if (cfa instanceof CfaRule.RegisterOffset ro) {
            return ro.offset();
        }
        throw new DwarfException("CFA register change while the CFA is an expression (" + where() + ")");
    }

    private static int reg(DwarfCursor c) {
        long r = c.uleb();
        if (r < 0 || r > 0xffff) {
            throw new DwarfException("register number " + r + " in call frame instructions");
        }
        return (int) r;
    }

    private static byte[] block(DwarfCursor c) {
        return c.bytes((int) c.uleb());
    }

    private String where() {
        return "FDE at 0x" + Long.toHexString(fde.offset()) + " for pc 0x" + Long.toHexString(fde.pcBegin());
    }
}
