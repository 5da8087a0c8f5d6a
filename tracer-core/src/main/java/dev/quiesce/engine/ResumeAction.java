package dev.quiesce.engine;

/**
 * What an engine wants a thread to do after an event (utrace's enum utrace_resume_action).
 * The declaration order <em>is</em> the merge rule: when several engines answer, the thread does
 * the smallest, so one engine's STOP holds the thread whatever the others say.
 */
public enum ResumeAction {
    /** Stay stopped until this engine resumes the thread. */
    STOP,
    /** Resume, and report a quiesce event at the next chance (treated as RESUME here). */
    INTERRUPT,
    /** Resume, the engine has nothing to add (treated as RESUME here). */
    REPORT,
    /** Execute one instruction, then report a {@link ThreadEvent.Stepped}. */
    SINGLESTEP,
    /** Run to the next taken branch, then report a {@link ThreadEvent.Stepped}. */
    BLOCKSTEP,
    /** Run freely. */
    RESUME;

    /** The action two engines' answers merge to: the smaller one. */
    public ResumeAction merge(ResumeAction other) {
        return compareTo(other) <= 0 ? this : other;
    }

    public boolean steps() {
        return this == SINGLESTEP || this == BLOCKSTEP;
    }
}
