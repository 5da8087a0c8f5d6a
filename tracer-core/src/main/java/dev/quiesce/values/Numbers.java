package dev.quiesce.values;

import java.math.BigDecimal;
import java.math.MathContext;

/** Numbers spelled as gdb spells them: floats with C's %g at 9 (float) or 17 (double) digits. */
final class Numbers {
    private Numbers() {
    }

    static String floating(double v, int sizeBytes) {
        if (Double.isNaN(v)) {
            return (Double.doubleToRawLongBits(v) < 0 ? "-" : "") + "nan(0x" + Long.toHexString(
                    sizeBytes == 4 ? Float.floatToRawIntBits((float) v) & 0x7fffff : Double.doubleToRawLongBits(v) & 0xfffffffffffffL) + ")";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        int digits = sizeBytes == 4 ? 9 : sizeBytes == 8 ? 17 : 18;
        if (v == 0) {
            return (1 / v < 0) ? "-0" : "0";
        }
        BigDecimal d = sizeBytes == 4 ? new BigDecimal((float) v) : new BigDecimal(v);
        d = d.round(new MathContext(digits));
        int exponent = d.precision() - d.scale() - 1;
        if (exponent < -4 || exponent >= digits) {
            // %g's scientific form: d.ddde+XX, trailing zeros removed
            BigDecimal mantissa = d.movePointLeft(exponent).stripTrailingZeros();
            String m = mantissa.toPlainString();
            return m + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
        }
        return d.stripTrailingZeros().toPlainString();
    }

    /** A character as C source writes it inside quotes: {@code a}, {@code \n}, {@code \310}. */
    static String escape(int c, char quote) {
        c &= 0xff;
        switch (c) {
            case 7: return "\\a";
            case 8: return "\\b";
            case 9: return "\\t";
            case 10: return "\\n";
            case 11: return "\\v";
            case 12: return "\\f";
            case 13: return "\\r";
            case 27: return "\\033";
            case '\\': return "\\\\";
            default:
                if (c == quote) {
                    return "\\" + quote;
                }
                if (c >= 32 && c < 127) {
                    return String.valueOf((char) c);
                }
                return String.format("\\%03o", c);
        }
    }
}
