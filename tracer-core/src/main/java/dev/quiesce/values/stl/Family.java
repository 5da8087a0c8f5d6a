package dev.quiesce.values.stl;

import java.util.Set;

/** Formatters for one family of standard-library templates (vectors, trees, strings...), both libraries' layouts. */
interface Family {
    /** Template names without namespace or arguments: {@code vector}, {@code map}, {@code _Rb_tree_iterator}. */
    Set<String> templates();

    /** The view of one object of one of those templates; a layout it does not know throws ValueException. */
    StlView view(Obj o);
}
