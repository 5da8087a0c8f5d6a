package dev.quiesce.values.stl;

import dev.quiesce.values.Type;

/** Type names as gdb's libstdc++ type printers abbreviate them inside a printer's text ({@code std::string}). */
final class Names {
    private Names() {
    }

    static String pretty(Type t) {
        return t.name()
                .replace("std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >", "std::string")
                .replace("std::basic_string_view<char, std::char_traits<char> >", "std::string_view")
                .replace("std::__1::basic_string<char, std::__1::char_traits<char>, std::__1::allocator<char> >", "std::string");
    }
}
