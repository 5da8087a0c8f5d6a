package dev.quiesce.values.expr;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.quiesce.values.ValueException;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Random text parses or fails with a ValueException, never loops or throws anything else. */
class ExpressionFuzzTest {
    private static final String ALPHABET = "abcxyz019_ ()[]{}*&.->+-/%!~<>=|^?:,'\"\\ \t\nsizeofunsignedchar";

    @Test
    void randomTextEndsAsAnExpressionOrAnExpressionError() {
        Random random = new Random(13);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            for (int i = 0; i < 50_000; i++) {
                StringBuilder b = new StringBuilder();
                int n = random.nextInt(24);
                for (int k = 0; k < n; k++) {
                    b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                }
                try {
                    Expression.parse(b.toString());
                } catch (ValueException expected) {
                    // a message for the user
                } catch (RuntimeException e) {
                    throw new AssertionError("'" + b + "' -> " + e, e);
                }
            }
        });
    }

    @Test
    void deepNestingIsAnErrorNotAStackOverflow() {
        for (String deep : new String[] {"(".repeat(100_000) + "1" + ")".repeat(100_000), "-".repeat(100_000) + "1",
                "*".repeat(100_000) + "p", "a" + "[0]".repeat(100_000), "!".repeat(100_000) + "1", "1" + "+1".repeat(100_000), "(".repeat(300) + "1" + ")".repeat(300)}) {
            org.junit.jupiter.api.Assertions.assertThrows(ValueException.class, () -> Expression.parse(deep));
        }
    }
}
