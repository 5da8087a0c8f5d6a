'use strict';
// How the extension starts the Quiesce server: pure functions, no `vscode` import, so the
// tests can check them without an editor.
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const LAUNCHER = 'quiesce-launcher';

/**
 * Class-data-sharing archives mapped at the address they were made for (issue 19). Debian's
 * Java 17 (17.0.21) maps them at a random address and then relocates every pointer in them
 * (-Xlog:cds: "ArchiveRelocationMode == 1: always map archive(s) at an alternative address"):
 * measured here with -Xlog:startuptime, JVM "Genesis" 23 ms -> 6.5 ms, "Create VM" 43 -> 29 ms.
 * When that address range is taken the JVM still relocates, so nothing breaks. The price: the
 * server JVM's class metadata sits at a fixed address, as it did in Java 17 before that change.
 */
const ARCHIVE_AT_ITS_ADDRESS = ['-XX:+UnlockDiagnosticVMOptions', '-XX:ArchiveRelocationMode=0'];

/**
 * Before the user's quiesce.javaArgs (which can undo them). C1 only: a session's work is short
 * bursts (a unit's DWARF, a backtrace) that C2's compile threads would compete with on a small
 * machine (measured: F5 -> first stop 1.2 s -> 0.8 s on hello, 2.1 s -> 0.9 s on ninja, a batch
 * run on SQLite 2.8-4.9 s -> 2.0-2.9 s, 2 busy cores). The JVM's own messages (a stale archive,
 * say) go to stderr: stdout carries DAP. One compiler thread (-XX:CICompilerCount=1): at a
 * session's start both cores are busy (the JVM, JNA's set-up, the requests), and two C1 threads
 * took ~100 ms of CPU before the first stop beside them; in bench/run --startup on a loaded
 * machine, two runs of 7 rounds, one thread was faster on 7 of 8 program rows (hello 380 -> 374,
 * SQLite 407 -> 371, ninja 592 -> 540, Rust 480 -> 446 ms in the second).
 */
const JVM_FLAGS = ['-XX:TieredStopAtLevel=1', '-XX:CICompilerCount=1', ...ARCHIVE_AT_ITS_ADDRESS, '-Xlog:disable', '-Xlog:all=warning:stderr'];

/**
 * Where quiesce-launcher is (the server needs it: it starts debuggees and wakes the tracer).
 * The `quiesce.nativeDir` setting wins; else the jar's own folder (the .vsix bundles both in
 * server/); else a repository build's native/target next to dap-server/target/quiesce.jar;
 * else the bundled server/ folder.
 */
function nativeDir(serverJar, settingNativeDir, bundledDir, exists = fs.existsSync) {
    if (settingNativeDir) {
        return settingNativeDir;
    }
    const jarDir = path.dirname(serverJar);
    const candidates = [jarDir, path.resolve(jarDir, '..', '..', 'native', 'target'), bundledDir];
    return candidates.find(dir => exists(path.join(dir, LAUNCHER))) || bundledDir;
}

/**
 * The command line of the debug adapter: `java [CDS] -Dquiesce.native.dir=DIR -jar JAR` (stdio DAP).
 * settings: { javaPath, serverJar, nativeDir, javaArgs } as in package.json's configuration.
 * java: the `quiesce.javaPath` setting, else the runtime the .vsix bundles (runtime/bin/java),
 * else $JAVA_HOME/bin/java, else `java`. cdsDir (the extension's global storage; optional): where
 * the server's class-data-sharing archive lives, see {@link cdsArguments}.
 */
function adapterCommand(settings, extensionPath, exists = fs.existsSync, cdsDir = undefined, stat = fs.statSync) {
    const bundledDir = path.join(extensionPath, 'server');
    const bundledJava = path.join(extensionPath, 'runtime', 'bin', 'java');
    const javaPath = settings.javaPath || (exists(bundledJava) ? bundledJava : undefined)
        || javaFromHome(process.env.JAVA_HOME, exists) || 'java';
    const serverJar = settings.serverJar || path.join(bundledDir, 'quiesce.jar');
    const dir = nativeDir(serverJar, settings.nativeDir, bundledDir, exists);
    const javaArgs = settings.javaArgs || [];
    const cds = cdsDir && !javaArgs.some(a => /SharedArchiveFile|ArchiveClassesAtExit|Xshare/.test(a))
        ? cdsArguments(javaPath, serverJar, cdsDir, exists, stat) : [];
    const args = [...cds, ...JVM_FLAGS, ...javaArgs,
        `-Dquiesce.native.dir=${dir}`, '-jar', serverJar];
    return { command: javaPath, args, serverJar, nativeDir: dir };
}

/**
 * AppCDS for the server (issue 19): the classes a session loads (LSP4J, Gson, JNA, Quiesce's) come
 * mapped from an archive instead of being parsed and verified at each start. Java 17 accepts an
 * archive only for the jar at the path, size and mtime it was made with, by the same JVM, so it
 * cannot ship inside the .vsix (installing moves and re-dates the jar): the first session writes
 * it at its exit (-XX:ArchiveClassesAtExit) into cdsDir, under a name made of exactly those
 * facts, and every later session maps it (-Xshare:auto: an unusable archive is ignored).
 */
function cdsArguments(javaPath, serverJar, cdsDir, exists = fs.existsSync, stat = fs.statSync) {
    let jar;
    try {
        jar = stat(serverJar);
    } catch (e) {
        return [];
    }
    const key = crypto.createHash('sha256')
        .update([javaPath, path.resolve(serverJar), jar.size, jar.mtimeMs].join('\n')).digest('hex').slice(0, 16);
    const archive = path.join(cdsDir, `quiesce-${key}.jsa`);
    if (exists(archive)) {
        return [`-XX:SharedArchiveFile=${archive}`, '-Xshare:auto'];
    }
    try {
        fs.mkdirSync(cdsDir, { recursive: true });
    } catch (e) {
        return [];
    }
    return [`-XX:ArchiveClassesAtExit=${archive}`];
}

/** What the training run debugs: a program every Linux machine has, to its libc exit. */
const TRAINING = ['run', '/bin/true', '--break', 'exit', '--print', '1+2'];

/**
 * The command that makes the server's CDS archive ahead of the first session (issue 19): a batch
 * run of /bin/true under the server (launch, modules, a function breakpoint in libc, an expression,
 * the exit: the classes a session's start loads), writing the archive under a temporary name the
 * caller renames once the run succeeded, so no session ever maps half an archive. Undefined when
 * there is nothing to make: an archive exists, no cdsDir, or the user's javaArgs decide about CDS.
 */
function archiveTraining(settings, extensionPath, cdsDir, exists = fs.existsSync, stat = fs.statSync, pid = process.pid) {
    const cmd = adapterCommand(settings, extensionPath, exists, cdsDir, stat);
    const flag = '-XX:ArchiveClassesAtExit=';
    const at = cmd.args.findIndex(a => a.startsWith(flag));
    if (at < 0) {
        return undefined;
    }
    const archive = cmd.args[at].slice(flag.length);
    const partial = `${archive}.${pid}.part`;
    const args = [...cmd.args];
    args[at] = flag + partial;
    return { command: cmd.command, args: [...args, ...TRAINING], archive, partial };
}

function javaFromHome(javaHome, exists) {
    if (!javaHome) {
        return undefined;
    }
    const java = path.join(javaHome, 'bin', 'java');
    return exists(java) ? java : undefined;
}

module.exports = { adapterCommand, archiveTraining, cdsArguments, nativeDir, LAUNCHER, JVM_FLAGS };
