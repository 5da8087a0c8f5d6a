package dev.quiesce.dap;

import com.google.gson.Gson;
import com.google.gson.TypeAdapter;
import com.google.gson.TypeAdapterFactory;
import com.google.gson.reflect.TypeToken;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import org.eclipse.lsp4j.debug.Variable;
import org.eclipse.lsp4j.debug.VariablePresentationHint;
import org.eclipse.lsp4j.debug.VariablesResponse;

/**
 * DAP {@code Variable} written field by field. A page of 1000 children is 1000 of them, and
 * Gson's reflective adapter spent about as long writing a page as the page took to read and
 * format (3 ms warm; 25-50 ms in a session's first page, while the reflective code still runs
 * interpreted). Same JSON: the fields in the class's order, absent ones left out as Gson does.
 * A {@code VariablesResponse} body likewise; written into a {@link Utf8Buffer} (WireWriter's),
 * its array goes in as bytes, escaped as JsonWriter escapes ({@link Utf8Buffer#jsonString}):
 * JsonWriter's per-token work was half of a 1000-int page's time once warm (JFR, issue 14).
 * Reading (no request carries one) stays reflective.
 */
final class VariableJson implements TypeAdapterFactory {
    @Override
    @SuppressWarnings("unchecked")
    public <T> TypeAdapter<T> create(Gson gson, TypeToken<T> type) {
        if (type.getRawType() == VariablesResponse.class) {
            return (TypeAdapter<T>) page(gson);
        }
        if (type.getRawType() != Variable.class) {
            return null;
        }
        TypeAdapter<Variable> reflective = gson.getDelegateAdapter(this, TypeToken.get(Variable.class));
        TypeAdapter<VariablePresentationHint> hint = gson.getAdapter(VariablePresentationHint.class);
        return (TypeAdapter<T>) new TypeAdapter<Variable>() {
            @Override
            public void write(JsonWriter out, Variable v) throws IOException {
                if (v == null) {
                    out.nullValue();
                    return;
                }
                out.beginObject();
                string(out, "name", v.getName());
                string(out, "value", v.getValue());
                string(out, "type", v.getType());
                if (v.getPresentationHint() != null) {
                    out.name("presentationHint");
                    hint.write(out, v.getPresentationHint());
                }
                string(out, "evaluateName", v.getEvaluateName());
                out.name("variablesReference").value(v.getVariablesReference());
                number(out, "namedVariables", v.getNamedVariables());
                number(out, "indexedVariables", v.getIndexedVariables());
                string(out, "memoryReference", v.getMemoryReference());
                number(out, "declarationLocationReference", v.getDeclarationLocationReference());
                number(out, "valueLocationReference", v.getValueLocationReference());
                out.endObject();
            }

            @Override
            public Variable read(JsonReader in) throws IOException {
                return reflective.read(in);
            }
        };
    }

    /**
     * A variables response's body: its array written element by element with the adapter above
     * (Gson's array adapter asks for each element's runtime type adapter, a cache look-up per
     * element).
     */
    private TypeAdapter<VariablesResponse> page(Gson gson) {
        TypeAdapter<VariablesResponse> reflective = gson.getDelegateAdapter(this, TypeToken.get(VariablesResponse.class));
        TypeAdapter<Variable> variable = gson.getAdapter(Variable.class);
        return new TypeAdapter<VariablesResponse>() {
            @Override
            public void write(JsonWriter out, VariablesResponse r) throws IOException {
                if (r == null) {
                    out.nullValue();
                    return;
                }
                out.beginObject();
                Variable[] vs = r.getVariables();
                Utf8Buffer raw = Utf8Buffer.SERIALIZING.get();
                if (vs != null && raw != null && !hasHint(vs)) {
                    // JsonWriter writes straight into the buffer: after its "variables": the array goes in as bytes
                    out.name("variables").jsonValue("");
                    array(raw, vs, out.isHtmlSafe());
                } else if (vs != null) {
                    out.name("variables").beginArray();
                    for (Variable v : vs) {
                        variable.write(out, v);
                    }
                    out.endArray();
                }
                out.endObject();
            }

            @Override
            public VariablesResponse read(JsonReader in) throws IOException {
                return reflective.read(in);
            }
        };
    }

    private static boolean hasHint(Variable[] vs) {
        for (Variable v : vs) {
            if (v != null && v.getPresentationHint() != null) {
                return true;
            }
        }
        return false;
    }

    /** The array as JsonWriter writes it with the adapter above (same fields, order, escapes), bytes straight into the buffer. */
    static void array(Utf8Buffer b, Variable[] vs, boolean htmlSafe) {
        b.ascii("[");
        for (int i = 0; i < vs.length; i++) {
            if (i > 0) {
                b.ascii(",");
            }
            Variable v = vs[i];
            if (v == null) {
                b.ascii("null");
                continue;
            }
            b.ascii("{");
            boolean first = true;
            first = string(b, first, "\"name\":", v.getName(), htmlSafe);
            first = string(b, first, "\"value\":", v.getValue(), htmlSafe);
            first = string(b, first, "\"type\":", v.getType(), htmlSafe);
            first = string(b, first, "\"evaluateName\":", v.getEvaluateName(), htmlSafe);
            first = number(b, first, "\"variablesReference\":", v.getVariablesReference());
            first = number(b, first, "\"namedVariables\":", v.getNamedVariables());
            first = number(b, first, "\"indexedVariables\":", v.getIndexedVariables());
            first = string(b, first, "\"memoryReference\":", v.getMemoryReference(), htmlSafe);
            first = number(b, first, "\"declarationLocationReference\":", v.getDeclarationLocationReference());
            number(b, first, "\"valueLocationReference\":", v.getValueLocationReference());
            b.ascii("}");
        }
        b.ascii("]");
    }

    private static boolean string(Utf8Buffer b, boolean first, String name, String value, boolean htmlSafe) {
        if (value == null) {
            return first;
        }
        if (!first) {
            b.ascii(",");
        }
        b.ascii(name);
        b.jsonString(value, htmlSafe);
        return false;
    }

    private static boolean number(Utf8Buffer b, boolean first, String name, Integer value) {
        if (value == null) {
            return first;
        }
        if (!first) {
            b.ascii(",");
        }
        b.ascii(name);
        b.decimal(value);
        return false;
    }

    private static void string(JsonWriter out, String name, String value) throws IOException {
        if (value != null) {
            out.name(name).value(value);
        }
    }

    private static void number(JsonWriter out, String name, Integer value) throws IOException {
        if (value != null) {
            out.name(name).value(value);
        }
    }
}
