/*
 * raw_ptrace_loop: the baseline the benchmark compares Quiesce's engine against: the same work
 * written directly against ptrace in C, with no bookkeeping at all.
 *
 *   raw_ptrace_loop bp ADDR WORD PROGRAM [ARGS]   breakpoint at ADDR: per hit read the word at
 *                                                 WORD, rewind, step over, reinsert, continue
 *   raw_ptrace_loop step COUNT PROGRAM [ARGS]     single-step COUNT instructions
 *   raw_ptrace_loop stopall ROUNDS PID            PTRACE_SEIZE every thread of PID, then ROUNDS
 *                                                 times: INTERRUPT all, wait for all, CONT all
 * Prints one line: "<what> <count> <seconds>".
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static pid_t start_traced(char **argv)
{
    pid_t pid = fork();
    if (pid == 0) {
        ptrace(PTRACE_TRACEME, 0, 0, 0);
        personality(ADDR_NO_RANDOMIZE);
        int devnull = open("/dev/null", 1);
        dup2(devnull, 1);
        execv(argv[0], argv);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0); /* the exec SIGTRAP */
    return pid;
}

static int breakpoints(unsigned long addr, unsigned long word, char **argv)
{
    pid_t pid = start_traced(argv);
    long original = ptrace(PTRACE_PEEKTEXT, pid, addr, 0);
    long trapped = (original & ~0xffL) | 0xcc;
    ptrace(PTRACE_POKETEXT, pid, addr, trapped);
    long hits = 0;
    volatile long sink = 0;
    double t0 = now();
    int status;
    int signal = 0;
    for (;;) {
        ptrace(PTRACE_CONT, pid, 0, signal);
        signal = 0;
        waitpid(pid, &status, 0);
        if (WIFEXITED(status) || WIFSIGNALED(status))
            break;
        if (WSTOPSIG(status) != SIGTRAP) {
            signal = WSTOPSIG(status);
            continue;
        }
        struct user_regs_struct regs;
        ptrace(PTRACE_GETREGS, pid, 0, &regs);
        if (regs.rip - 1 != addr)
            continue;
        hits++;
        sink += ptrace(PTRACE_PEEKDATA, pid, word, 0);
        regs.rip = addr;
        ptrace(PTRACE_SETREGS, pid, 0, &regs);
        ptrace(PTRACE_POKETEXT, pid, addr, original);
        ptrace(PTRACE_SINGLESTEP, pid, 0, 0);
        waitpid(pid, &status, 0);
        ptrace(PTRACE_POKETEXT, pid, addr, trapped);
    }
    printf("bp %ld %.6f\n", hits, now() - t0);
    return 0;
}

static int steps(long count, char **argv)
{
    pid_t pid = start_traced(argv);
    int status;
    double t0 = now();
    long done = 0;
    for (; done < count; done++) {
        ptrace(PTRACE_SINGLESTEP, pid, 0, 0);
        waitpid(pid, &status, 0);
        if (!WIFSTOPPED(status))
            break;
    }
    printf("step %ld %.6f\n", done, now() - t0);
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return 0;
}

static int stopall(long rounds, pid_t pid)
{
    pid_t tids[1024];
    int n = 0;
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task", pid);
    DIR *dir = opendir(path);
    struct dirent *e;
    while (dir && (e = readdir(dir)) != NULL && n < 1024)
        if (e->d_name[0] != '.')
            tids[n++] = atoi(e->d_name);
    closedir(dir);
    for (int i = 0; i < n; i++)
        ptrace(PTRACE_SEIZE, tids[i], 0, 0);
    int status;
    double t0 = now();
    for (long r = 0; r < rounds; r++) {
        for (int i = 0; i < n; i++)
            ptrace(PTRACE_INTERRUPT, tids[i], 0, 0);
        for (int i = 0; i < n; i++)
            waitpid(tids[i], &status, __WALL);
        for (int i = 0; i < n; i++)
            ptrace(PTRACE_CONT, tids[i], 0, 0);
    }
    printf("stopall %ld %.6f\n", rounds, now() - t0);
    for (int i = 0; i < n; i++) {
        ptrace(PTRACE_INTERRUPT, tids[i], 0, 0);
        waitpid(tids[i], &status, __WALL);
        ptrace(PTRACE_DETACH, tids[i], 0, 0);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 5 && strcmp(argv[1], "bp") == 0)
        return breakpoints(strtoul(argv[2], NULL, 0), strtoul(argv[3], NULL, 0), &argv[4]);
    if (argc >= 4 && strcmp(argv[1], "step") == 0)
        return steps(atol(argv[2]), &argv[3]);
    if (argc >= 4 && strcmp(argv[1], "stopall") == 0)
        return stopall(atol(argv[2]), atoi(argv[3]));
    fprintf(stderr, "usage: see the comment at the top of raw_ptrace_loop.c\n");
    return 2;
}
