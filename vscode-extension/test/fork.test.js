'use strict';
// followForks in VS Code's way (issue 18 Part 3): the parent's adapter asks for a child session
// with the startDebugging reverse request; VS Code runs the configuration through the extension's
// configuration provider and starts a FRESH adapter from the extension's descriptor factory
// (stdio), which attaches the child. Here the fake `vscode` plays VS Code and DebugClient the
// sessions; the adapters are the real server, started with the factory's command line.
const assert = require('assert');
const cp = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { DebugClient } = require('@vscode/debugadapter-testsupport');
const { Session, program, JAR, ROOT } = require('./support/session');
const { createFakeVscode, loadExtension } = require('./support/fake-vscode');

const EXTENSION_DIR = path.resolve(__dirname, '..');
const SOURCE = path.join(ROOT, 'test-programs', 'src', 'fork_follow.c');
const lineOf = marker => fs.readFileSync(SOURCE, 'utf8').split('\n').findIndex(l => l.includes(marker)) + 1;

describe('fork children as child sessions (followForks) through the extension', function () {
    let fake;
    let cdsDir;
    const adapters = [];
    const sessions = [];

    beforeEach(function () {
        fake = createFakeVscode();
        fake.settings['quiesce.serverJar'] = JAR;
        cdsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quiesce-storage-'));
        loadExtension(fake).activate({ extensionPath: EXTENSION_DIR, subscriptions: [], globalStorageUri: { fsPath: cdsDir } });
    });

    afterEach(async function () {
        for (const s of sessions.splice(0)) {
            await s.stop();
        }
        adapters.splice(0).forEach(a => a.kill());
        fs.rmSync(cdsDir, { recursive: true, force: true });
    });

    /** What VS Code does for a session: the factory's adapter executable, spawned, over stdio. */
    function startAdapter(configuration) {
        const exe = fake.registered.factories.quiesce.createDebugAdapterDescriptor({ type: 'quiesce', configuration }, undefined);
        assert.ok(exe instanceof fake.DebugAdapterExecutable, 'a fresh adapter process (stdio), not a server connection');
        const child = cp.spawn(exe.command, exe.args, { stdio: ['pipe', 'pipe', 'ignore'] });
        adapters.push(child);
        const dc = new DebugClient('unused', 'unused', 'quiesce');
        dc.connect(child.stdout, child.stdin);
        const s = new Session(dc);
        sessions.push(s);
        return { s, adapter: child };
    }

    /** initialize, launch/attach, the file's breakpoints, configurationDone: VS Code's order. */
    async function configure(s, request, configuration, lines) {
        await s.initialize();
        const started = s.dc.send(request, configuration);
        const set = await s.dc.setBreakpointsRequest({ source: { path: SOURCE }, breakpoints: lines.map(line => ({ line })) });
        await s.dc.configurationDoneRequest();
        await started;
        return set.body.breakpoints;
    }

    async function stoppedAt(s) {
        const stopped = await s.event('stopped');
        assert.strictEqual(stopped.body.reason, 'breakpoint');
        const { body } = await s.dc.stackTraceRequest({ threadId: stopped.body.threadId, levels: 1 });
        return { tid: stopped.body.threadId, line: body.stackFrames[0].line };
    }

    it('startDebugging: the provider keeps the child\'s attach configuration, a fresh adapter takes the child, both hit their breakpoints', async function () {
        const provider = fake.registered.providers.quiesce;
        const parentLine = lineOf('PARENT_LINE');
        const childLine = lineOf('CHILD_LINE');
        const launch = provider.resolveDebugConfiguration(undefined,
            { type: 'quiesce', request: 'launch', name: 'fork', program: program('fork_follow'), args: ['fork'], followForks: true });
        const parent = startAdapter(launch).s;
        let asked;
        const childAsked = new Promise(resolve => { asked = resolve; });
        parent.answerReverse('startDebugging', args => {
            asked(args);
            return {}; // VS Code answers once it has started the session
        });
        await configure(parent, 'launch', launch, [parentLine, childLine]);
        const request = await childAsked;
        assert.strictEqual(request.request, 'attach');
        const configuration = provider.resolveDebugConfiguration(undefined, request.configuration);
        assert.ok(configuration, `the provider accepts the child's configuration: ${fake.messages.error.join('; ')}`);
        assert.strictEqual(configuration.type, 'quiesce');
        assert.strictEqual(configuration.request, 'attach');
        assert.strictEqual(typeof configuration.processId, 'number', 'no process picker for a child');
        assert.deepStrictEqual(configuration.quiesceFork, request.configuration.quiesceFork, 'the handover token goes through');
        const childPid = configuration.processId;

        const { s: child, adapter } = startAdapter(configuration);
        // setBreakpoints may come before the attach is answered (pending then): placed before the child runs.
        await configure(child, 'attach', configuration, [parentLine, childLine]);
        const childStop = await stoppedAt(child);
        assert.strictEqual(childStop.tid, childPid);
        assert.strictEqual(childStop.line, childLine, 'the child stops in child_work, in its own session');
        const tracer = fs.readFileSync(`/proc/${childPid}/status`, 'utf8').match(/TracerPid:\s*(\d+)/)[1];
        assert.ok(fs.existsSync(`/proc/${adapter.pid}/task/${tracer}`), `traced by the child's own adapter (TracerPid ${tracer})`);

        const parentStop = await stoppedAt(parent);
        assert.strictEqual(parentStop.line, parentLine);
        await child.dc.continueRequest({ threadId: childStop.tid });
        assert.strictEqual((await child.event('exited')).body.exitCode, 7);
        await parent.dc.continueRequest({ threadId: parentStop.tid });
        assert.strictEqual((await parent.event('exited')).body.exitCode, 0);
        const out = parent.output('stdout');
        assert.ok(out.includes('child says 7\n'), out);
        assert.ok(out.includes('parent: child exit=7 stops=0\n'), `the parent's waitpid sees the real exit and no stop: ${out}`);
        assert.deepStrictEqual(fake.messages.error, []);
    });
});
