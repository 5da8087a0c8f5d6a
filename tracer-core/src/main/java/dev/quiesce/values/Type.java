package dev.quiesce.values;

import java.util.List;

/**
 * A C/C++ type read from DWARF. One class for all kinds keeps the evaluator simple: {@code kind}
 * says which fields mean something. {@code target} is the pointee / referee / qualified /
 * aliased / element / return type. Array dimensions can be dynamic (VLA): see {@link Bound}.
 */
public final class Type {
    public enum Kind { VOID, INT, BOOL, CHAR, FLOAT, POINTER, REFERENCE, CONST, VOLATILE, TYPEDEF, ARRAY,
        STRUCT, CLASS, UNION, ENUM, FUNCTION }

    /** An array dimension: a constant count, or a DWARF expression / variable DIE evaluated in the frame. */
    public record Bound(long count, byte[] expression, long variableDie) {
        public static Bound of(long count) {
            return new Bound(count, null, -1);
        }

        public boolean constant() {
            return expression == null && variableDie < 0;
        }
    }

    public record Enumerator(String name, long value) {
    }

    private final Kind kind;
    private final String name;
    private final long size;
    private final boolean signed;
    private Type target;
    private boolean transparent;
    private List<Bound> bounds = List.of();
    private List<Member> members = List.of();
    private List<Enumerator> enumerators = List.of();
    private List<Type> parameters = List.of();
    private List<Type> templateArguments = List.of();
    private Type valueType;
    private boolean scoped;
    private boolean byReference;
    private boolean rust;
    private Variants variants;

    /**
     * A Rust enum's DW_TAG_variant_part: the discriminant member (a tag, or the niche another
     * variant's field holds) and each variant with its discr_value; {@code value} null is the default.
     */
    public record Variants(Member discriminant, List<Variant> variants) {
    }

    public record Variant(Long value, Member member) {
    }

    public Type(Kind kind, String name, long size, boolean signed) {
        this.kind = kind;
        this.name = name;
        this.size = size;
        this.signed = signed;
    }

    public static final Type VOID = new Type(Kind.VOID, "void", 1, false);
    public static final Type INT = new Type(Kind.INT, "int", 4, true);
    public static final Type UINT = new Type(Kind.INT, "unsigned int", 4, false);
    public static final Type LONG = new Type(Kind.INT, "long", 8, true);
    public static final Type ULONG = new Type(Kind.INT, "unsigned long", 8, false);
    public static final Type CHAR = new Type(Kind.CHAR, "char", 1, true);
    public static final Type DOUBLE = new Type(Kind.FLOAT, "double", 8, true);
    public static final Type BOOL = new Type(Kind.BOOL, "_Bool", 1, false);

    public static Type pointerTo(Type target) {
        return new Type(Kind.POINTER, null, 8, false).target(target);
    }

    public static Type arrayOf(Type element, long count) {
        Type t = new Type(Kind.ARRAY, null, 0, false).target(element);
        t.bounds = List.of(Bound.of(count));
        return t;
    }

    /** restrict/_Atomic: a typedef without a name, spelled as its target. */
    Type transparent() {
        this.transparent = true;
        return this;
    }

    boolean isTransparent() {
        return transparent;
    }

    Type target(Type t) {
        this.target = t;
        return this;
    }

    Type bounds(List<Bound> b) {
        this.bounds = List.copyOf(b);
        return this;
    }

    Type members(List<Member> m) {
        this.members = List.copyOf(m);
        return this;
    }

    Type enumerators(List<Enumerator> e) {
        this.enumerators = List.copyOf(e);
        return this;
    }

    Type parameters(List<Type> p) {
        this.parameters = List.copyOf(p);
        return this;
    }

    Type templateArguments(List<Type> a) {
        this.templateArguments = List.copyOf(a);
        return this;
    }

    /** A C++ {@code enum class}: its enumerators are named inside it ({@code Color::Red}). */
    Type scoped(boolean s) {
        this.scoped = s;
        return this;
    }

    /** A C++ class passed and returned by invisible reference (see {@link CallingConvention}). */
    Type byReference(boolean b) {
        this.byReference = b;
        return this;
    }

    /** A type from a unit whose DW_AT_language is Rust. */
    Type rust(boolean r) {
        this.rust = r;
        return this;
    }

    public boolean rust() {
        return rust;
    }

    Type variants(Variants v) {
        this.variants = v;
        return this;
    }

    /** A Rust enum's variants, or null. */
    public Variants variants() {
        return variants;
    }

    public boolean byReference() {
        return byReference;
    }

    public boolean scoped() {
        return scoped;
    }

    Type valueType(Type t) {
        this.valueType = t;
        return this;
    }

    /** A class's member typedef {@code value_type} (library containers and iterators), or null. */
    public Type valueType() {
        return valueType;
    }

    /** A C++ class template's type arguments in order ({@code int}, {@code std::allocator<int>} for a vector): DW_TAG_template_type_param. */
    public List<Type> templateArguments() {
        return templateArguments;
    }

    public Kind kind() {
        return kind;
    }

    public String rawName() {
        return name;
    }

    public boolean signed() {
        return signed;
    }

    public Type target() {
        return target;
    }

    public List<Bound> bounds() {
        return bounds;
    }

    public List<Member> members() {
        return members;
    }

    public List<Enumerator> enumerators() {
        return enumerators;
    }

    public List<Type> parameters() {
        return parameters;
    }

    /**
     * Longest chain of typedefs/qualifiers, and deepest nesting of arrays, followed before a type
     * counts as broken: real code has a handful; hostile or corrupt DWARF can make a cycle
     * (typedef A → const A), and the type reader builds such cycles faithfully.
     */
    static final int MAX_CHAIN = 256;

    /** What a cyclic chain of typedefs/qualifiers strips to. */
    public static final Type CYCLIC = new Type(Kind.VOID, "<cyclic type>", 0, false);

    /** Without typedefs and cv-qualifiers: what the value really is. */
    public Type strip() {
        Type t = this;
        for (int hops = 0; t.kind == Kind.TYPEDEF || t.kind == Kind.CONST || t.kind == Kind.VOLATILE; hops++) {
            if (t.target == null) {
                return VOID;
            }
            if (hops >= MAX_CHAIN) {
                return CYCLIC;
            }
            t = t.target;
        }
        return t;
    }

    public boolean isInteger() {
        Kind k = strip().kind;
        return k == Kind.INT || k == Kind.CHAR || k == Kind.BOOL || k == Kind.ENUM;
    }

    public boolean isArithmetic() {
        return isInteger() || strip().kind == Kind.FLOAT;
    }

    public boolean isPointer() {
        return strip().kind == Kind.POINTER;
    }

    public boolean isAggregate() {
        Kind k = strip().kind;
        return k == Kind.STRUCT || k == Kind.CLASS || k == Kind.UNION || k == Kind.ARRAY;
    }

    /**
     * The size in bytes; arrays with constant bounds only (a VLA's comes from its value). A size
     * that does not fit a long (int[1L &lt;&lt; 62], or a bound of -1 read as unsigned) saturates at
     * {@link Long#MAX_VALUE}: too large to read, never a small wrapped-around number.
     */
    public long size() {
        return size(0);
    }

    private long size(int nesting) {
        Type t = strip();
        if (t.kind != Kind.ARRAY) {
            return t == CYCLIC ? 0 : t.size;
        }
        if (nesting >= MAX_CHAIN || t.target == null) {
            return 0;
        }
        long n = t.target.size(nesting + 1);
        for (Bound b : t.bounds) {
            long count = b.constant() ? b.count() : 0;
            if (count < 0) {
                return Long.MAX_VALUE;
            }
            n = Math.multiplyHigh(n, count) != 0 || n * count < 0 ? Long.MAX_VALUE : n * count;
        }
        return n;
    }

    /** The C spelling: {@code struct point}, {@code const char *}, {@code int [2][3]}. */
    public String name() {
        return TypeNames.of(this);
    }

    @Override
    public String toString() {
        return name();
    }
}
