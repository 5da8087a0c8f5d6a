package dev.quiesce.debugger;

/** The client's step requests: next (step over), step in, step out, at line or instruction granularity. */
public enum StepKind { OVER, IN, OUT }
