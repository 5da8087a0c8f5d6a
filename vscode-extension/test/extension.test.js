'use strict';
// The extension itself: package.json's contribution against PRODUCT.md's arguments, the pure
// helpers, and extension.js activated on a fake `vscode` whose debug session forwards to the
// REAL server, so the commands' requests are checked end to end.
const assert = require('assert');
const cp = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { DebugClient } = require('@vscode/debugadapter-testsupport');
const pkg = require('../package.json');
const { adapterCommand, archiveTraining, cdsArguments, JVM_FLAGS } = require('../lib/adapter');
const { resolveConfiguration } = require('../lib/config');
const { listProcesses } = require('../lib/processes');
const { Session, program, JAR, NATIVE_DIR, ROOT } = require('./support/session');
const { createFakeVscode, loadExtension } = require('./support/fake-vscode');

const debuggerContribution = pkg.contributes.debuggers[0];
const EXTENSION_DIR = path.resolve(__dirname, '..');

describe('package.json contribution', function () {
    it('describes every PRODUCT.md launch and attach argument with a type and a description', function () {
        const { launch, attach } = debuggerContribution.configurationAttributes;
        assert.deepStrictEqual(Object.keys(launch.properties).sort(),
            ['args', 'catchSyscalls', 'console', 'coreFile', 'cwd', 'disableASLR', 'env', 'followForks', 'nonStop', 'program',
                'signals', 'sourceMap', 'stdin', 'stopOnEntry']);
        assert.deepStrictEqual(Object.keys(attach.properties).sort(),
            ['followForks', 'nonStop', 'pid', 'processId', 'program', 'signals', 'sourceMap', 'waitFor']);
        assert.deepStrictEqual(launch.properties.console.enum, ['internalConsole', 'integratedTerminal', 'externalTerminal']);
        for (const [name, p] of [...Object.entries(launch.properties), ...Object.entries(attach.properties)]) {
            assert.ok(p.type, `${name} has a type`);
            assert.ok(p.description && p.description.length > 20, `${name} has a description`);
        }
        const defaults = Object.fromEntries(Object.entries(launch.properties).map(([k, v]) => [k, v.default]));
        assert.deepStrictEqual({ stopOnEntry: defaults.stopOnEntry, nonStop: defaults.nonStop, disableASLR: defaults.disableASLR },
            { stopOnEntry: false, nonStop: true, disableASLR: true }, 'PRODUCT.md defaults');
        assert.deepStrictEqual(launch.required, ['program']);
        assert.deepStrictEqual(attach.required, [], 'attach by processId, pid or program');
        assert.deepStrictEqual(pkg.extensionKind, ['workspace'], 'runs where the program is (Remote-SSH, containers)');
    });

    it('debugs c, cpp and rust (breakpoints in their files), attaches with ${command:pickProcess}, and activates on debug', function () {
        assert.strictEqual(debuggerContribution.type, 'quiesce');
        assert.deepStrictEqual(debuggerContribution.languages, ['c', 'cpp', 'rust']);
        assert.deepStrictEqual(pkg.contributes.breakpoints.map(b => b.language), ['c', 'cpp', 'rust']);
        assert.strictEqual(debuggerContribution.variables.pickProcess, 'quiesce.pickProcess');
        const attach = debuggerContribution.initialConfigurations.find(c => c.request === 'attach');
        assert.strictEqual(attach.processId, '${command:pickProcess}');
        assert.ok(debuggerContribution.configurationSnippets.length >= 2);
        assert.ok(pkg.activationEvents.includes('onDebugResolve:quiesce') && pkg.activationEvents.includes('onDebug'));
        assert.strictEqual(pkg.main, './extension.js');
        assert.ok(pkg.contributes.configuration.properties['quiesce.javaPath']);
        assert.ok(pkg.contributes.configuration.properties['quiesce.serverJar']);
    });
});

describe('helpers', function () {
    it('adapterCommand: the bundled server by default, a repository build with its native/target', function () {
        const none = () => false;
        const LOG = JVM_FLAGS; // C1 only; the JVM's messages never reach DAP's stdout
        assert.ok(LOG.includes('-Xlog:all=warning:stderr'));
        const bundled = adapterCommand({}, '/ext', none);
        assert.deepStrictEqual([bundled.command, ...bundled.args],
            ['java', ...LOG, '-Dquiesce.native.dir=/ext/server', '-jar', '/ext/server/quiesce.jar']);
        const repo = adapterCommand({ serverJar: JAR, javaPath: '/opt/jdk/bin/java' }, '/ext');
        assert.deepStrictEqual([repo.command, ...repo.args],
            ['/opt/jdk/bin/java', ...LOG, `-Dquiesce.native.dir=${NATIVE_DIR}`, '-jar', JAR]);
        const set = adapterCommand({ serverJar: JAR, nativeDir: '/n', javaArgs: ['-Xmx256m'] }, '/ext');
        assert.deepStrictEqual(set.args, [...LOG, '-Xmx256m', '-Dquiesce.native.dir=/n', '-jar', JAR]);
    });

    it('adapterCommand: the runtime the .vsix bundles unless quiesce.javaPath says otherwise', function () {
        const runtimeOnly = f => f === '/ext/runtime/bin/java';
        assert.strictEqual(adapterCommand({}, '/ext', runtimeOnly).command, '/ext/runtime/bin/java');
        assert.strictEqual(adapterCommand({ javaPath: '/opt/jdk/bin/java' }, '/ext', runtimeOnly).command, '/opt/jdk/bin/java');
    });

    it('cdsArguments: write the archive at exit until it exists, then map it; one archive per java, jar and jar version', function () {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quiesce-cds-'));
        const jar = { size: 1000, mtimeMs: 5 };
        const stat = () => jar;
        const [dump] = cdsArguments('/j/java', '/ext/server/quiesce.jar', dir, () => false, stat);
        assert.match(dump, /^-XX:ArchiveClassesAtExit=.*quiesce-[0-9a-f]{16}\.jsa$/);
        const archive = dump.split('=')[1];
        assert.strictEqual(path.dirname(archive), dir);
        assert.deepStrictEqual(cdsArguments('/j/java', '/ext/server/quiesce.jar', dir, f => f === archive, stat),
            [`-XX:SharedArchiveFile=${archive}`, '-Xshare:auto']);
        const other = cdsArguments('/other/java', '/ext/server/quiesce.jar', dir, () => false, stat)[0];
        assert.notStrictEqual(other, dump, 'another JVM, another archive');
        jar.mtimeMs = 6;
        assert.notStrictEqual(cdsArguments('/j/java', '/ext/server/quiesce.jar', dir, () => false, stat)[0], dump,
            'a new jar, another archive');
        assert.deepStrictEqual(cdsArguments('/j/java', '/missing.jar', dir, () => false, () => { throw new Error('ENOENT'); }), []);
        const user = adapterCommand({ javaArgs: ['-Xshare:off'] }, '/ext', () => false, dir, stat);
        assert.ok(!user.args.some(a => /SharedArchiveFile|ArchiveClassesAtExit/.test(a)), 'the user\'s own sharing flags win');
    });

    it('archiveTraining: a batch run of /bin/true writing the archive under a temporary name, only while there is none', function () {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quiesce-cds-'));
        const stat = () => ({ size: 1000, mtimeMs: 5 });
        const t = archiveTraining({ javaPath: '/j/java', serverJar: '/ext/server/quiesce.jar' }, '/ext', dir, () => false, stat, 77);
        assert.strictEqual(t.command, '/j/java');
        assert.strictEqual(t.partial, `${t.archive}.77.part`);
        assert.ok(t.args.includes(`-XX:ArchiveClassesAtExit=${t.partial}`), t.args.join(' '));
        assert.deepStrictEqual(t.args.slice(-8), ['-jar', '/ext/server/quiesce.jar', 'run', '/bin/true', '--break', 'exit', '--print', '1+2']);
        const [dump] = cdsArguments('/j/java', '/ext/server/quiesce.jar', dir, () => false, stat);
        assert.strictEqual(dump, `-XX:ArchiveClassesAtExit=${t.archive}`, 'the archive a session would write');
        assert.strictEqual(archiveTraining({ javaPath: '/j/java', serverJar: '/ext/server/quiesce.jar' }, '/ext', dir, f => f === t.archive, stat), undefined,
            'an archive exists: nothing to make');
        assert.strictEqual(archiveTraining({ javaArgs: ['-Xshare:off'] }, '/ext', dir, () => false, stat), undefined, 'the user decides');
        assert.strictEqual(archiveTraining({}, '/ext', undefined, () => false, stat), undefined, 'no storage folder');
    });

    it('resolveConfiguration: F5 on a C file, launch without program, attach without processId', function () {
        const f5 = resolveConfiguration({}, 'c').config;
        assert.strictEqual(f5.program, '${fileDirname}/${fileBasenameNoExtension}');
        assert.strictEqual(f5.nonStop, true);
        assert.match(resolveConfiguration({}, 'python').error, /C, C\+\+ or Rust/);
        assert.strictEqual(resolveConfiguration({}, 'rust').config.program, '${fileDirname}/${fileBasenameNoExtension}', 'rustc main.rs builds ./main');
        assert.match(resolveConfiguration({ type: 'quiesce', request: 'launch', name: 'x' }).error, /"program"/);
        assert.strictEqual(resolveConfiguration({ type: 'quiesce', request: 'attach', name: 'x' }).config.processId,
            '${command:pickProcess}');
        assert.strictEqual(resolveConfiguration({ type: 'quiesce', request: 'attach', name: 'x', processId: 42 }).config.processId, 42);
        const byName = resolveConfiguration({ type: 'quiesce', request: 'attach', name: 'x', program: '/bin/server', waitFor: true }).config;
        assert.strictEqual(byName.processId, undefined, 'attach by program (waitFor) asks for no process');
        assert.strictEqual(resolveConfiguration({ type: 'quiesce', request: 'attach', name: 'x', pid: 7 }).config.processId, undefined,
            'pid is processId\'s alias');
    });

    it('listProcesses finds this very process with its command line', function () {
        const me = listProcesses().find(p => p.pid === process.pid);
        assert.ok(me, 'our pid is listed');
        assert.match(me.commandLine, /mocha/);
    });
});

describe('extension.js on a fake vscode, with the real server', function () {
    let fake;
    let ext;
    let child;
    let s;
    let cdsDir;

    beforeEach(function () {
        fake = createFakeVscode();
        fake.settings['quiesce.serverJar'] = JAR;
        ext = loadExtension(fake);
        cdsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quiesce-storage-'));
        ext.activate({ extensionPath: EXTENSION_DIR, subscriptions: [], globalStorageUri: { fsPath: cdsDir } });
    });

    afterEach(async function () {
        if (s) {
            await s.stop();
            s = null;
        }
        if (child) {
            child.kill();
            child = null;
        }
        fs.rmSync(cdsDir, { recursive: true, force: true });
    });

    /** Starts the server with exactly the command line the extension's factory gives VS Code. */
    async function startAsVsCodeWould() {
        const exe = fake.registered.factories.quiesce.createDebugAdapterDescriptor({ type: 'quiesce' }, undefined);
        assert.ok(exe instanceof fake.DebugAdapterExecutable);
        assert.deepStrictEqual(exe.args.slice(-2), ['-jar', JAR]);
        child = cp.spawn(exe.command, exe.args, { stdio: ['pipe', 'pipe', 'ignore'] });
        const dc = new DebugClient('unused', 'unused', 'quiesce');
        dc.connect(child.stdout, child.stdin);
        s = new Session(dc);
        // What vscode.debug.activeDebugSession.customRequest does: one DAP request, its body back.
        fake.debug.activeDebugSession = {
            id: 'session-1', type: 'quiesce', name: 'test',
            customRequest: async (command, args) => (await dc.send(command, args)).body,
        };
        return s;
    }

    it('registers its factory, configuration provider and every contributed command', function () {
        assert.ok(fake.registered.factories.quiesce);
        assert.ok(fake.registered.providers.quiesce);
        for (const c of pkg.contributes.commands) {
            assert.strictEqual(typeof fake.registered.commands[c.command], 'function', `${c.command} is registered`);
        }
        assert.ok(fake.registered.commands[debuggerContribution.variables.pickProcess]);
    });

    it('the adapter it starts serves DAP; "Step to Next Syscall" steps the thread in focus', async function () {
        await startAsVsCodeWould();
        await s.launch({ program: program('syscalls'), catchSyscalls: ['write'] });
        const stopped = await s.event('stopped');
        assert.strictEqual(stopped.body.description, 'syscall entry: write(3, "hello\\n", 6)');
        fake.debug.activeStackItem = { session: fake.debug.activeDebugSession, threadId: stopped.body.threadId };
        await fake.registered.commands['quiesce.stepSyscall']();
        assert.deepStrictEqual(fake.messages.error, []);
        assert.strictEqual((await s.event('stopped')).body.description, 'syscall exit: write = 6');
        // No focused thread (VS Code < 1.90): the only thread, from the threads request.
        fake.debug.activeStackItem = undefined;
        await fake.registered.commands['quiesce.stepSyscall']();
        assert.strictEqual((await s.event('stopped')).body.description, 'syscall entry: close(3)');
        await s.dc.continueRequest({ threadId: stopped.body.threadId });
        assert.strictEqual((await s.event('exited')).body.exitCode, 0);
    });

    it('"Set Signal Policy..." picks a signal and flags and sends signalPolicy', async function () {
        await startAsVsCodeWould();
        await s.launch({ program: program('signals') });
        const stopped = await s.event('stopped'); // SIGUSR1
        const pickSignal = name => items => items.find(i => i.label === name);
        const pickFlags = (...flags) => items => items.filter(i => flags.includes(i.label));
        fake.quickPickAnswers.push(pickSignal('SIGUSR1'), pickFlags('stop', 'print'));
        await fake.registered.commands['quiesce.setSignalPolicy']();
        assert.deepStrictEqual(fake.messages.info, ['SIGUSR1: stop, print']);
        const flagPick = fake.quickPicks[1];
        assert.strictEqual(flagPick.options.canPickMany, true);
        assert.deepStrictEqual(flagPick.items.filter(i => i.picked).map(i => i.label), ['stop', 'print', 'pass'],
            "SIGUSR1's default policy is preselected");
        fake.quickPickAnswers.push(pickSignal('SIGUSR2'), pickFlags('pass'));
        await fake.registered.commands['quiesce.setSignalPolicy']();
        fake.quickPickAnswers.push(pickSignal('SIGHUP'), pickFlags());
        await fake.registered.commands['quiesce.setSignalPolicy']();
        assert.deepStrictEqual(fake.messages.info.slice(1),
            ['SIGUSR2: pass', 'SIGHUP: nothing (not stopped, not printed, not passed)']);
        await s.dc.continueRequest({ threadId: stopped.body.threadId });
        // SIGUSR1 suppressed (no pass), SIGUSR2 passed without stopping, SIGHUP suppressed: 1 handler run.
        assert.strictEqual((await s.event('exited')).body.exitCode, 1);
        assert.deepStrictEqual(fake.messages.error, []);
    });

    /** Waits (up to 60 s) until activation's background run has put its archive in place and left no partial one. */
    async function archiveMadeAhead() {
        const deadline = Date.now() + 60000;
        for (;;) {
            const names = fs.readdirSync(cdsDir);
            const done = names.filter(n => /^quiesce-[0-9a-f]{16}\.jsa$/.test(n));
            if (done.length === 1 && !names.some(n => n.endsWith('.part'))) {
                return path.join(cdsDir, done[0]);
            }
            assert.ok(Date.now() < deadline, `no archive made ahead within 60 s: ${names.join(', ')}`);
            await new Promise(resolve => setTimeout(resolve, 100));
        }
    }

    it('activation makes the class-data archive in the background; the first session maps it', async function () {
        this.timeout(90000);
        const archive = await archiveMadeAhead();
        const check = cp.spawnSync(fake.registered.factories.quiesce.createDebugAdapterDescriptor({ type: 'quiesce' }).command,
            [`-XX:SharedArchiveFile=${archive}`, '-Xshare:on', '-jar', JAR, '--help'], { encoding: 'utf8' });
        assert.strictEqual(check.status, 0, `the JVM refuses the archive for this jar (-Xshare:on): ${check.stderr}`);
        // With the adapter's flags the archives map where they were made for: no relocation pass.
        const mapped = cp.spawnSync(fake.registered.factories.quiesce.createDebugAdapterDescriptor({ type: 'quiesce' }).command,
            [`-XX:SharedArchiveFile=${archive}`, '-Xshare:on', ...JVM_FLAGS, '-Xlog:cds=info:stdout', '-jar', JAR, '--help'], { encoding: 'utf8' });
        assert.strictEqual(mapped.status, 0, mapped.stderr);
        assert.match(mapped.stdout, /Mapped dynamic region/, mapped.stdout);
        assert.doesNotMatch(mapped.stdout, /alternative address/, 'the archives were mapped elsewhere and relocated: ' + mapped.stdout);
        await startAsVsCodeWould();
        assert.ok(child.spawnargs.includes(`-XX:SharedArchiveFile=${archive}`), child.spawnargs.join(' '));
        await s.launch({ program: program('hello') });
        assert.strictEqual((await s.event('exited')).body.exitCode, 0);
    });

    it('the first session writes the class-data archive as it exits; the next one maps it', async function () {
        this.timeout(90000);
        fs.rmSync(await archiveMadeAhead()); // as if activation's run had failed
        await startAsVsCodeWould();
        const dump = child.spawnargs.find(a => a.startsWith('-XX:ArchiveClassesAtExit='));
        assert.ok(dump, `no archive yet: the session writes one (${child.spawnargs.join(' ')})`);
        const archive = dump.split('=')[1];
        await s.launch({ program: program('hello') });
        assert.strictEqual((await s.event('exited')).body.exitCode, 0);
        const exited = new Promise(resolve => child.on('exit', resolve));
        await s.stop(); // the server exits after disconnect's response, writing the archive
        s = null;
        await exited;
        child = null;
        assert.ok(fs.statSync(archive).size > 0, 'the archive was written');
        await startAsVsCodeWould();
        assert.ok(child.spawnargs.includes(`-XX:SharedArchiveFile=${archive}`), child.spawnargs.join(' '));
        await s.launch({ program: program('hello') });
        assert.strictEqual((await s.event('exited')).body.exitCode, 0);
    });

    it('the commands say so when no Quiesce session is in focus', async function () {
        await fake.registered.commands['quiesce.stepSyscall']();
        assert.deepStrictEqual(fake.messages.error, ['No Quiesce debug session is in focus.']);
    });

    it('pickProcess returns the picked pid as a string (attach takes numeric strings)', async function () {
        fake.quickPickAnswers.push(items => items.find(i => i.pid === process.ppid) || items[0]);
        const pid = await fake.registered.commands['quiesce.pickProcess']();
        assert.match(pid, /^\d+$/);
        assert.ok(!fake.quickPicks[0].items.some(i => i.pid === process.pid), 'the editor itself is not offered');
    });

    it('resolveDebugConfiguration refuses a launch without program, with a message', function () {
        const provider = fake.registered.providers.quiesce;
        assert.strictEqual(provider.resolveDebugConfiguration(undefined, { type: 'quiesce', request: 'launch', name: 'x' }), undefined);
        assert.match(fake.messages.error[0], /needs "program"/);
        assert.ok(ROOT);
    });
});
