package dev.quiesce.symbols.dwarf;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/** Demangles C++ (Itanium ABI) names with libstdc++'s {@code __cxa_demangle}, through JNA. */
public final class Demangler {
    private interface CxxAbi extends Library {
        Pointer __cxa_demangle(String mangled, Pointer buffer, Pointer length, IntByReference status);
    }

    private interface LibC extends Library {
        void free(Pointer p);
    }

    private static final class Holder {
        static final CxxAbi ABI = load("libstdc++.so.6", CxxAbi.class);
        static final LibC LIBC = load("c", LibC.class);

        private static <T extends Library> T load(String name, Class<T> type) {
            try {
                return Native.load(name, type);
            } catch (UnsatisfiedLinkError e) {
                return null;
            }
        }
    }

    private Demangler() {
    }

    /**
     * A type's name from its mangled form as a {@code std::type_info} holds it ({@code
     * St13runtime_error}, {@code N3geo8BadShapeE}, {@code i}: no {@code _Z}; gcc marks a type
     * local to one unit with a leading {@code *}), or null when it does not demangle.
     */
    public static String demangleType(String mangled) {
        if (mangled == null || mangled.isEmpty() || Holder.ABI == null || Holder.LIBC == null) {
            return null;
        }
        return call(mangled.startsWith("*") ? mangled.substring(1) : mangled);
    }

    /** The demangled name (Rust's legacy and v0 names too, {@link RustDemangler}), or null when {@code mangled} is not a mangled name (or libstdc++ is missing). */
    public static String demangle(String mangled) {
        String rust = RustDemangler.demangle(mangled);
        if (rust != null) {
            return rust;
        }
        if (mangled == null || !mangled.startsWith("_Z") || Holder.ABI == null || Holder.LIBC == null) {
            return null;
        }
        return call(mangled);
    }

    private static String call(String mangled) {
        IntByReference status = new IntByReference(-1);
        Pointer p = Holder.ABI.__cxa_demangle(mangled, null, null, status);
        if (p == null) {
            return null;
        }
        try {
            return status.getValue() == 0 ? p.getString(0, "UTF-8") : null;
        } finally {
            Holder.LIBC.free(p);
        }
    }
}
