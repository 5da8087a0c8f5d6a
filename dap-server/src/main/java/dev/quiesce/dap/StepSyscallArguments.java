package dev.quiesce.dap;

/** Arguments of the custom request {@code stepSyscall} (PRODUCT.md, "Custom requests"). */
public class StepSyscallArguments {
    private Integer threadId;

    public Integer getThreadId() {
        return threadId;
    }

    public void setThreadId(Integer threadId) {
        this.threadId = threadId;
    }
}
