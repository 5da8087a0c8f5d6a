package dev.quiesce.dap;

import dev.quiesce.engine.TracedProcess;
import dev.quiesce.values.FrameContext;
import dev.quiesce.values.expr.Completions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.eclipse.lsp4j.debug.CompletionItem;
import org.eclipse.lsp4j.debug.CompletionsArguments;
import org.eclipse.lsp4j.debug.CompletionsResponse;

/**
 * The debug console's {@code completions}: what {@link Completions} proposes at the cursor, in
 * the given frame (or, without one, the program's globals). Columns count from 1 unless the
 * client said {@code columnsStartAt1: false}, in the request and in each item's {@code start}.
 */
final class CompletionRequests {
    private CompletionRequests() {
    }

    static CompletableFuture<CompletionsResponse> completions(CompletableFuture<FrameContext> frame, CompletionsArguments args,
                                                              boolean columnsStartAt1, Executor work) {
        if (args.getText() == null) {
            return RequestErrors.failed("completions needs text and column");
        }
        int base = columnsStartAt1 ? 1 : 0;
        int cursor = args.getColumn() - base;
        if (args.getLine() != null && args.getLine() > 1) {
            // the console's text may span lines: the column counts within the given line
            String[] lines = args.getText().split("\n", -1);
            int offset = 0;
            for (int i = 0; i < Math.min(args.getLine() - 1, lines.length - 1); i++) {
                offset += lines[i].length() + 1;
            }
            cursor += offset;
        }
        int at = cursor;
        return frame.thenApplyAsync(fc -> {
            RequestDeadline.doingNow("completing '" + args.getText() + "'");
            Completions.Result result = Completions.at(fc, args.getText(), at);
            CompletionItem[] items = new CompletionItem[result.items().size()];
            for (int i = 0; i < items.length; i++) {
                Completions.Item item = result.items().get(i);
                CompletionItem c = new CompletionItem();
                c.setLabel(item.label());
                c.setText(item.label());
                c.setType(switch (item.kind()) {
                    case "field" -> org.eclipse.lsp4j.debug.CompletionItemType.FIELD;
                    case "keyword" -> org.eclipse.lsp4j.debug.CompletionItemType.KEYWORD;
                    default -> org.eclipse.lsp4j.debug.CompletionItemType.VARIABLE;
                });
                c.setDetail(item.detail());
                c.setStart(result.start() + base);
                c.setLength(result.length());
                items[i] = c;
            }
            CompletionsResponse r = new CompletionsResponse();
            r.setTargets(items);
            return r;
        }, work);
    }
}
