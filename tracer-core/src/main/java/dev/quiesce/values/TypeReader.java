package dev.quiesce.values;

import dev.quiesce.symbols.dwarf.DebugInfo;
import dev.quiesce.symbols.dwarf.Die;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds {@link Type}s from the type DIEs of one module's {@code .debug_info}, each DIE once. */
public final class TypeReader {
    private static final int LANG_C_PLUS_PLUS = 0x04;
    private static final int LANG_C_PLUS_PLUS_11 = 0x1a;
    private static final int LANG_C_PLUS_PLUS_14 = 0x21;
    private static final int LANG_RUST = 0x1c;
    private static final int TAG_VARIANT = 0x19;
    private static final int TAG_VARIANT_PART = 0x33;
    private static final int AT_DISCR = 0x15;
    private static final int AT_DISCR_VALUE = 0x16;

    /** Member typedefs that name a container's or iterator's element: value_type, or the target of pointer / reference. */
    private static final java.util.Set<String> ELEMENT_TYPEDEFS = java.util.Set.of("value_type", "pointer", "reference");

    private final DebugInfo info;
    private final Map<Long, Type> cache = new HashMap<>();

    public TypeReader(DebugInfo info) {
        this.info = info;
    }

    public DebugInfo debugInfo() {
        return info;
    }

    /**
     * Types read inside one another (a member's type, an element's, a pointee's). Pointers,
     * typedefs and structs are cached before their parts, so cycles through them end at once;
     * this bound ends any other (an enum whose DW_AT_type is itself) and stops a pathological
     * chain before the Java stack does.
     */
    private static final int MAX_NESTING = 256;
    private int nesting;

    /** The type at a DIE offset; offset -1 (no DW_AT_type) is void. */
    public synchronized Type type(long offset) {
        if (offset < 0) {
            return Type.VOID;
        }
        Type t = cache.get(offset);
        if (t == null) {
            if (nesting >= MAX_NESTING) {
                return Type.CYCLIC;
            }
            nesting++;
            try {
                t = read(info.die(offset));
            } catch (dev.quiesce.symbols.dwarf.DwarfException | IndexOutOfBoundsException e) {
                t = new Type(Type.Kind.VOID, "<unreadable type>", 0, false); // corrupt DWARF: a type, not a crash
            } finally {
                nesting--;
            }
        }
        return t;
    }

    private Map<String, Long> named;

    /** A type by its C name ({@code int}, {@code struct point}, {@code uint_t}, {@code geo::Circle}), if any unit defines it. */
    public synchronized java.util.Optional<Type> typeNamed(String name) {
        if (named == null) {
            named = new HashMap<>();
            for (dev.quiesce.symbols.dwarf.Unit u : info.units()) {
                try {
                    indexTypes(u.root(), "", named, 0);
                } catch (RuntimeException e) {
                    // unreadable unit: its types stay unknown
                }
            }
        }
        Long offset = named.get(name);
        return offset == null ? java.util.Optional.empty() : java.util.Optional.of(type(offset));
    }

    /** Namespaces nested deeper than this (only corrupt DWARF has them) are not searched: the Java stack is finite. */
    private static final int MAX_SCOPE_NESTING = 256;

    private static void indexTypes(Die parent, String prefix, Map<String, Long> out, int nesting) {
        if (nesting > MAX_SCOPE_NESTING) {
            return;
        }
        for (Die c : parent.children()) {
            String n = c.string(Dw.AT_NAME);
            if (c.tag() == Dw.TAG_ENUMERATION_TYPE && n == null) {
                n = "";
            }
            if (n == null || c.value(Dw.AT_DECLARATION) != null) {
                continue;
            }
            String key = switch (c.tag()) {
                case Dw.TAG_BASE_TYPE, Dw.TAG_TYPEDEF -> prefix + n;
                case Dw.TAG_STRUCTURE_TYPE, Dw.TAG_CLASS_TYPE -> prefix + n;
                case Dw.TAG_UNION_TYPE -> prefix + n;
                case Dw.TAG_ENUMERATION_TYPE -> prefix + n;
                default -> null;
            };
            if (key != null) {
                out.putIfAbsent(key, c.offset());
                String keyword = switch (c.tag()) {
                    case Dw.TAG_STRUCTURE_TYPE -> "struct ";
                    case Dw.TAG_CLASS_TYPE -> "class ";
                    case Dw.TAG_UNION_TYPE -> "union ";
                    case Dw.TAG_ENUMERATION_TYPE -> "enum ";
                    default -> null;
                };
                if (keyword != null) {
                    out.putIfAbsent(keyword + key, c.offset());
                }
            }
            if (c.tag() == Dw.TAG_ENUMERATION_TYPE) {
                for (Die e : c.children()) {
                    if (e.tag() == Dw.TAG_ENUMERATOR && e.string(Dw.AT_NAME) != null) {
                        // enum class Color { Red }: Color::Red; a plain enum's are in the enclosing scope
                        String scope = c.value(Dw.AT_ENUM_CLASS) != null && !n.isEmpty() ? prefix + n + "::" : prefix;
                        out.putIfAbsent(ENUMERATOR + scope + e.string(Dw.AT_NAME), c.offset());
                    }
                }
            }
            if (c.tag() == Dw.TAG_NAMESPACE
                    || (c.hasChildren() && !n.isEmpty() && (c.tag() == Dw.TAG_STRUCTURE_TYPE || c.tag() == Dw.TAG_CLASS_TYPE))) {
                indexTypes(c, prefix + n + "::", out, nesting + 1); // C++ nests types and enums in classes too
            }
        }
    }

    private static final String ENUMERATOR = "\0enumerator ";

    /** An enumerator constant by name ({@code GREEN}) as a value of its enum type. */
    public java.util.Optional<Value> enumerator(String name) {
        typeNamed("");
        Long offset;
        synchronized (this) {
            offset = named.get(ENUMERATOR + name);
        }
        if (offset == null) {
            return java.util.Optional.empty();
        }
        Type t = type(offset);
        String simple = name.substring(name.lastIndexOf(':') + 1);
        for (Type.Enumerator e : t.enumerators()) {
            if (e.name().equals(simple)) {
                return java.util.Optional.of(Value.ofLong(t, e.value()));
            }
        }
        return java.util.Optional.empty();
    }

    /** The DIE a type read here came from (a class's, for its member functions), or -1. */
    public synchronized long dieOffsetOf(Type t) {
        for (Map.Entry<Long, Type> e : cache.entrySet()) {
            if (e.getValue() == t) {
                return e.getKey();
            }
        }
        return -1;
    }

    private Type read(Die d) {
        String name = d.string(Dw.AT_NAME);
        long size = d.unsigned(Dw.AT_BYTE_SIZE, 0);
        switch (d.tag()) {
            case Dw.TAG_BASE_TYPE: {
                int enc = (int) d.unsigned(Dw.AT_ENCODING, Dw.ATE_SIGNED);
                Type.Kind kind = switch (enc) {
                    case Dw.ATE_BOOLEAN -> Type.Kind.BOOL;
                    case Dw.ATE_FLOAT -> Type.Kind.FLOAT;
                    case Dw.ATE_SIGNED_CHAR, Dw.ATE_UNSIGNED_CHAR -> size == 1 ? Type.Kind.CHAR : Type.Kind.INT;
                    default -> Type.Kind.INT;
                };
                boolean signed = enc == Dw.ATE_SIGNED || enc == Dw.ATE_SIGNED_CHAR || enc == Dw.ATE_FLOAT;
                // Rust's char (DW_ATE_UTF, 4 bytes): an integer that prints as rust-gdb's 60 '<'
                return put(d, new Type(kind, name, size, signed).rust(enc == Dw.ATE_UTF && isRust(d)));
            }
            case Dw.TAG_POINTER_TYPE:
                return linked(d, new Type(Type.Kind.POINTER, null, size == 0 ? 8 : size, false));
            case Dw.TAG_REFERENCE_TYPE:
            case Dw.TAG_RVALUE_REFERENCE_TYPE:
                return linked(d, new Type(Type.Kind.REFERENCE, null, 8, false));
            case Dw.TAG_CONST_TYPE:
                return linked(d, new Type(Type.Kind.CONST, null, 0, false));
            case Dw.TAG_VOLATILE_TYPE:
                return linked(d, new Type(Type.Kind.VOLATILE, null, 0, false));
            case Dw.TAG_RESTRICT_TYPE:
            case Dw.TAG_ATOMIC_TYPE:
                // Shown as their target: they do not change how a value reads.
                return linked(d, new Type(Type.Kind.TYPEDEF, null, 0, false)).transparent();
            case Dw.TAG_TYPEDEF:
                return linked(d, new Type(Type.Kind.TYPEDEF, qualified(d, name), 0, false));
            case Dw.TAG_ARRAY_TYPE: {
                Type t = linked(d, new Type(Type.Kind.ARRAY, null, 0, false));
                List<Type.Bound> bounds = new ArrayList<>();
                for (Die c : d.children()) {
                    if (c.tag() == Dw.TAG_SUBRANGE_TYPE) {
                        bounds.add(bound(c));
                    }
                }
                return t.bounds(bounds);
            }
            case Dw.TAG_STRUCTURE_TYPE:
            case Dw.TAG_CLASS_TYPE:
            case Dw.TAG_UNION_TYPE: {
                Type.Kind kind = d.tag() == Dw.TAG_UNION_TYPE ? Type.Kind.UNION
                        : d.tag() == Dw.TAG_CLASS_TYPE ? Type.Kind.CLASS : Type.Kind.STRUCT;
                String keyword = kind == Type.Kind.UNION ? "union" : kind == Type.Kind.CLASS ? "class" : "struct";
                if (d.value(Dw.AT_DECLARATION) != null && name != null) {
                    // a class whose vtable's key function is elsewhere is only declared in this unit: gdb
                    // shows the definition another unit of the module has
                    java.util.Optional<Type> definition = typeNamed(tagName(d, keyword, name));
                    if (definition.isPresent()) {
                        return definition.get();
                    }
                }
                Type t = put(d, new Type(kind, tagName(d, keyword, name), size, false));
                List<Member> members = new ArrayList<>();
                List<Type> templateArguments = new ArrayList<>();
                Type valueType = null;
                for (Die c : d.children()) {
                    if (c.tag() == Dw.TAG_TEMPLATE_TYPE_PARAM) {
                        templateArguments.add(type(c.reference(Dw.AT_TYPE)));
                    } else if (c.tag() == Dw.TAG_GNU_TEMPLATE_PARAMETER_PACK) { // variant<int, std::string>: the pack's types in order
                        for (Die p : c.children()) {
                            if (p.tag() == Dw.TAG_TEMPLATE_TYPE_PARAM) {
                                templateArguments.add(type(p.reference(Dw.AT_TYPE)));
                            }
                        }
                    } else if (c.tag() == Dw.TAG_TYPEDEF && valueType == null && ELEMENT_TYPEDEFS.contains(c.string(Dw.AT_NAME))) {
                        // iterators described without their template parameters still have one of these
                        Type named = type(c.offset());
                        valueType = "value_type".equals(c.string(Dw.AT_NAME)) ? named : named.strip().target();
                    }
                    if (c.tag() == TAG_VARIANT_PART && t.variants() == null) {
                        t.variants(variants(c));
                    }
                    if (c.tag() == Dw.TAG_MEMBER || c.tag() == Dw.TAG_INHERITANCE) {
                        members.add(member(c));
                    } else if (c.tag() == Dw.TAG_VARIABLE && c.has(Dw.AT_NAME)) {
                        // DWARF 5 C++ static data member: a variable inside the class.
                        members.add(new Member(c.string(Dw.AT_NAME), type(c.reference(Dw.AT_TYPE)), 0, 0, 0, false, c.offset()));
                    }
                }
                t.byReference(kind != Type.Kind.UNION && CallingConvention.byReference(info, d, name, members));
                return t.members(members).templateArguments(templateArguments).valueType(valueType);
            }
            case Dw.TAG_ENUMERATION_TYPE: {
                Type base = d.has(Dw.AT_TYPE) ? type(d.reference(Dw.AT_TYPE)) : null;
                boolean signed = base == null || base.strip().signed();
                Type t = put(d, new Type(Type.Kind.ENUM, tagName(d, "enum", name), size, signed));
                List<Type.Enumerator> es = new ArrayList<>();
                for (Die c : d.children()) {
                    if (c.tag() == Dw.TAG_ENUMERATOR) {
                        long v = c.value(Dw.AT_CONST_VALUE) instanceof Long l ? l : 0;
                        es.add(new Type.Enumerator(c.string(Dw.AT_NAME), v));
                    }
                }
                return t.enumerators(es).scoped(isRust(d) || d.value(Dw.AT_ENUM_CLASS) != null && !Boolean.FALSE.equals(d.value(Dw.AT_ENUM_CLASS)));
            }
            case Dw.TAG_SUBROUTINE_TYPE: {
                Type t = linked(d, new Type(Type.Kind.FUNCTION, null, 1, false));
                List<Type> params = new ArrayList<>();
                for (Die c : d.children()) {
                    if (c.tag() == Dw.TAG_FORMAL_PARAMETER) {
                        params.add(type(c.reference(Dw.AT_TYPE)));
                    }
                }
                return t.parameters(params);
            }
            default:
                return put(d, new Type(Type.Kind.VOID, name == null ? "<unknown type>" : name, size, false));
        }
    }

    private Type put(Die d, Type t) {
        t.rust(isRust(d));
        cache.put(d.offset(), t);
        return t;
    }

    /** Caches before resolving the target so that self-referencing types terminate. */
    private Type linked(Die d, Type t) {
        put(d, t);
        return t.target(d.has(Dw.AT_TYPE) ? type(d.reference(Dw.AT_TYPE)) : Type.VOID);
    }

    private Type.Bound bound(Die c) {
        // DW_AT_count, or DW_AT_upper_bound (lower bound 0 in C); either can be a constant, an
        // exprloc computing it in the frame (VLA), or a reference to an artificial variable.
        int at = c.has(Dw.AT_COUNT) ? Dw.AT_COUNT : Dw.AT_UPPER_BOUND;
        long plus = at == Dw.AT_UPPER_BOUND ? 1 : 0;
        Object v = c.value(at);
        if (v == null) {
            return new Type.Bound(0, null, -1); // int a[] : flexible / unknown
        }
        if (v instanceof byte[] expr) {
            return new Type.Bound(plus, expr, -1);
        }
        long ref = c.reference(at);
        if (ref >= 0) {
            return new Type.Bound(plus, null, ref);
        }
        return v instanceof Long n ? Type.Bound.of(n + plus) : new Type.Bound(0, null, -1); // another form: unknown
    }

    private Member member(Die c) {
        Type type = type(c.reference(Dw.AT_TYPE));
        boolean inheritance = c.tag() == Dw.TAG_INHERITANCE;
        String name = inheritance ? type.name() : c.string(Dw.AT_NAME);
        if (!inheritance && c.value(Dw.AT_DECLARATION) != null && !c.has(Dw.AT_DATA_MEMBER_LOCATION)) {
            // DWARF 4 C++ static member: a declaration; the definition refers to it by DW_AT_specification.
            return new Member(name, type, 0, 0, 0, false, c.offset());
        }
        long byteOffset = c.value(Dw.AT_DATA_MEMBER_LOCATION) instanceof Long l ? l : 0;
        int bitSize = (int) c.unsigned(Dw.AT_BIT_SIZE, 0);
        int bitOffset = 0;
        if (c.has(Dw.AT_DATA_BIT_OFFSET)) {
            long total = c.unsigned(Dw.AT_DATA_BIT_OFFSET, 0);
            byteOffset = total / 8;
            bitOffset = (int) (total % 8);
        } else if (bitSize > 0 && c.has(Dw.AT_BIT_OFFSET)) {
            // DWARF 2/3 counts from the most significant bit of a storage unit of DW_AT_byte_size.
            long unit = c.unsigned(Dw.AT_BYTE_SIZE, type.size());
            long fromLsb = unit * 8 - c.unsigned(Dw.AT_BIT_OFFSET, 0) - bitSize;
            byteOffset += fromLsb / 8;
            bitOffset = (int) (fromLsb % 8);
        }
        return new Member(name, type, byteOffset, bitOffset, bitSize, inheritance, -1);
    }

    private String tagName(Die d, String keyword, String name) {
        if (name == null) {
            return null;
        }
        return isCxx(d) ? qualified(d, name) : keyword + " " + name;
    }

    private static boolean isCxx(Die d) {
        int lang = d.unit().language();
        return lang == LANG_C_PLUS_PLUS || lang == LANG_C_PLUS_PLUS_11 || lang == LANG_C_PLUS_PLUS_14 || lang == LANG_RUST;
    }

    private static boolean isRust(Die d) {
        return d.unit().language() == LANG_RUST;
    }

    /** A Rust enum's variant part: the discriminant member DW_AT_discr names, each DW_TAG_variant's one member. */
    private Type.Variants variants(Die part) {
        long discr = part.reference(AT_DISCR);
        Member discriminant = null;
        List<Type.Variant> vs = new ArrayList<>();
        for (Die c : part.children()) {
            if (c.tag() == Dw.TAG_MEMBER && c.offset() == discr) {
                discriminant = member(c);
            } else if (c.tag() == TAG_VARIANT) {
                Long value = c.value(AT_DISCR_VALUE) instanceof Long l ? l : null;
                for (Die m : c.children()) {
                    if (m.tag() == Dw.TAG_MEMBER) {
                        vs.add(new Type.Variant(value, member(m)));
                        break;
                    }
                }
            }
        }
        return new Type.Variants(discriminant, vs);
    }

    /** C++ names with their enclosing namespaces/classes ({@link ScopePaths}). */
    private String qualified(Die d, String name) {
        if (name == null || !isCxx(d)) {
            return name;
        }
        List<String> path = new ArrayList<>();
        if (ScopePaths.find(d.unit(), d.offset(), path)) {
            path.add(name);
            return String.join("::", path);
        }
        return name;
    }
}
