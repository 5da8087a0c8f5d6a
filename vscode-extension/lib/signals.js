'use strict';
// Signals for the "Set Signal Policy..." command, and the signalPolicy request's arguments
// (dap-server SignalPolicyArguments: signal, stop, print, pass).

const SIGNALS = [
    ['SIGHUP', 'Hangup'], ['SIGINT', 'Interrupt'], ['SIGQUIT', 'Quit'], ['SIGILL', 'Illegal instruction'],
    ['SIGTRAP', 'Trace/breakpoint trap'], ['SIGABRT', 'Aborted'], ['SIGBUS', 'Bus error'],
    ['SIGFPE', 'Arithmetic exception'], ['SIGUSR1', 'User defined signal 1'], ['SIGSEGV', 'Segmentation fault'],
    ['SIGUSR2', 'User defined signal 2'], ['SIGPIPE', 'Broken pipe'], ['SIGALRM', 'Alarm clock'],
    ['SIGTERM', 'Terminated'], ['SIGSTKFLT', 'Stack fault'], ['SIGCHLD', 'Child status changed'],
    ['SIGCONT', 'Continued'], ['SIGTSTP', 'Stopped (user)'], ['SIGTTIN', 'Stopped (tty input)'],
    ['SIGTTOU', 'Stopped (tty output)'], ['SIGURG', 'Urgent I/O condition'], ['SIGXCPU', 'CPU time limit exceeded'],
    ['SIGXFSZ', 'File size limit exceeded'], ['SIGVTALRM', 'Virtual timer expired'],
    ['SIGPROF', 'Profiling timer expired'], ['SIGWINCH', 'Window changed'], ['SIGIO', 'I/O possible'],
    ['SIGPWR', 'Power failure'], ['SIGSYS', 'Bad system call'],
].map(([name, description]) => ({ name, description }));

const FLAGS = ['stop', 'print', 'pass'];

/** gdb's defaults, as the server applies them (tracer-core SignalPolicy.defaultFor). */
function defaultPolicy(signal) {
    if (signal === 'SIGINT' || signal === 'SIGTRAP') {
        return { stop: true, print: true, pass: false };
    }
    if (['SIGALRM', 'SIGCHLD', 'SIGWINCH', 'SIGURG', 'SIGIO', 'SIGVTALRM', 'SIGPROF'].includes(signal)) {
        return { stop: false, print: false, pass: true };
    }
    return { stop: true, print: true, pass: true };
}

/** The signalPolicy request for one signal, from the flags picked (the others are false). */
function signalPolicyArguments(signal, picked) {
    const args = { signal };
    for (const flag of FLAGS) {
        args[flag] = picked.includes(flag);
    }
    return args;
}

/** "SIGUSR1: stop, print, pass" / "SIGCHLD: pass" / "SIGINT: ignored". */
function describePolicy(body) {
    const on = FLAGS.filter(flag => body[flag]);
    return `${body.signal}: ${on.length ? on.join(', ') : 'nothing (not stopped, not printed, not passed)'}`;
}

module.exports = { SIGNALS, FLAGS, defaultPolicy, signalPolicyArguments, describePolicy };
