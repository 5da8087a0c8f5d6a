package dev.quiesce.symbols.dwarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class AddressMapTest {
    @Test
    void innermostRangeWins() {
        AddressMap<String> m = new AddressMap.Builder<String>()
                .add(0x100, 0x200, "outer").add(0x120, 0x140, "inner").add(0x130, 0x138, "innermost")
                .add(0x180, 0x190, "second").add(0x300, 0x310, "apart").build();
        assertNull(m.get(0xff));
        assertEquals("outer", m.get(0x100));
        assertEquals("inner", m.get(0x120));
        assertEquals("innermost", m.get(0x130));
        assertEquals("innermost", m.get(0x137));
        assertEquals("inner", m.get(0x138));
        assertEquals("outer", m.get(0x140));
        assertEquals("second", m.get(0x18f));
        assertEquals("outer", m.get(0x1ff));
        assertNull(m.get(0x200));
        assertEquals("apart", m.get(0x305));
        assertNull(m.get(0x310));
    }
}
