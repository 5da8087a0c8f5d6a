package dev.quiesce.dap;

/** Arguments of the custom request {@code signalPolicy} (PRODUCT.md, "Custom requests"). */
public class SignalPolicyArguments {
    private String signal;
    private Boolean stop;
    private Boolean print;
    private Boolean pass;

    public String getSignal() {
        return signal;
    }

    public void setSignal(String signal) {
        this.signal = signal;
    }

    public Boolean getStop() {
        return stop;
    }

    public void setStop(Boolean stop) {
        this.stop = stop;
    }

    public Boolean getPrint() {
        return print;
    }

    public void setPrint(Boolean print) {
        this.print = print;
    }

    public Boolean getPass() {
        return pass;
    }

    public void setPass(Boolean pass) {
        this.pass = pass;
    }
}
