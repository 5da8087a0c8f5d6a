'use strict';
// console: integratedTerminal (the runInTerminal reverse request, answered here as VS Code
// would: the command runs in a terminal, a pty made by util-linux script(1)) and coreFile
// (post-mortem on a core the kernel wrote), through DebugClient, over stdio and TCP.
const assert = require('assert');
const cp = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { stdio, tcp, program, ROOT } = require('./support/session');

const quote = word => `'${word.replace(/'/g, `'\\''`)}'`;

/** The kernel's core of core_dump, or null when core_pattern sends cores elsewhere (then the test is skipped). */
function kernelCore(dir) {
    const pattern = fs.readFileSync('/proc/sys/kernel/core_pattern', 'utf8').trim();
    if (pattern.startsWith('|') || pattern.includes('/')) {
        return null;
    }
    cp.spawnSync('sh', ['-c', 'ulimit -c unlimited; cd "$1" && "$0"', program('core_dump'), dir]);
    const core = fs.readdirSync(dir).find(f => f.startsWith('core'));
    return core ? path.join(dir, core) : null;
}

for (const transport of [stdio, tcp]) {
    describe(`Terminals and core files over ${transport.name} (DebugClient)`, function () {
        let s;
        let dir;
        let terminal;
        before(() => transport.before());
        after(() => transport.after());
        beforeEach(async function () {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quiesce-vscode-test-'));
            s = await transport.connect();
        });
        afterEach(async function () {
            if (terminal) {
                terminal.kill();
                terminal = null;
            }
            await s.stop();
            fs.rmSync(dir, { recursive: true, force: true });
        });

        it('console integratedTerminal: the program runs in the client\'s terminal and reads what is typed there', async function () {
            let screen = '';
            s.clientCapabilities = { supportsRunInTerminalRequest: true };
            s.answerReverse('runInTerminal', args => {
                assert.strictEqual(args.kind, 'integrated');
                terminal = cp.spawn('script', ['-qefc', args.args.map(quote).join(' '), '/dev/null'],
                    { cwd: args.cwd, env: { ...process.env, ...args.env } });
                terminal.stdout.on('data', d => { screen += d; });
                return { shellProcessId: terminal.pid };
            });
            const source = path.join(ROOT, 'test-programs', 'src', 'echo_stdin.c');
            const line = fs.readFileSync(source, 'utf8').split('\n').findIndex(l => l.includes('line echoed')) + 1;
            await s.initialize();
            const launched = s.dc.send('launch', { type: 'quiesce', request: 'launch', name: 'test',
                program: program('echo_stdin'), console: 'integratedTerminal' });
            await launched;
            await s.dc.setBreakpointsRequest({ source: { path: source }, breakpoints: [{ line }] });
            await s.dc.configurationDoneRequest();
            await waitFor(() => screen.includes('stdin is a terminal'));
            terminal.stdin.write('typed in the terminal\n');
            const stopped = await s.event('stopped');
            assert.strictEqual(stopped.body.reason, 'breakpoint');
            const { body: { stackFrames } } = await s.dc.stackTraceRequest({ threadId: stopped.body.threadId });
            const value = await s.dc.evaluateRequest({ expression: 'line', frameId: stackFrames[0].id, context: 'watch' });
            assert.ok(value.body.result.includes('"typed in the terminal"'), value.body.result);
            await s.dc.setBreakpointsRequest({ source: { path: source }, breakpoints: [] });
            await s.dc.continueRequest({ threadId: stopped.body.threadId });
            terminal.stdin.write('quit\n');
            assert.strictEqual((await s.event('exited')).body.exitCode, 0);
            await waitFor(() => screen.includes('lines: 2'));
            assert.ok(screen.includes('read: typed in the terminal'), screen);
            assert.strictEqual(s.output('stdout'), '', 'the program wrote to its terminal, not the Debug Console');
        });

        it('console integratedTerminal without the client\'s runInTerminal is refused, saying what to use', async function () {
            await s.initialize();
            const message = await s.failure('launch', { program: program('echo_stdin'), console: 'integratedTerminal' });
            assert.ok(message.includes('runInTerminal') && message.includes('internalConsole'), message);
        });

        it('coreFile: a kernel core stops with the signal, shows the crashed stack, refuses to run', async function () {
            const core = kernelCore(dir);
            if (!core) {
                this.skip();
            }
            const launched = await s.launch({ program: program('core_dump'), coreFile: core });
            assert.strictEqual(launched.success, true);
            const stopped = await s.event('stopped');
            assert.strictEqual(stopped.body.reason, 'exception');
            assert.strictEqual(stopped.body.description, 'Signal SIGSEGV (Segmentation fault)');
            const { body: { threads } } = await s.dc.threadsRequest();
            assert.strictEqual(threads.length, 3);
            const { body: { stackFrames } } = await s.dc.stackTraceRequest({ threadId: stopped.body.threadId });
            assert.deepStrictEqual(stackFrames.slice(0, 3).map(f => f.name), ['level2', 'level1', 'main']);
            const scale = await s.dc.evaluateRequest({ expression: 'scale', frameId: stackFrames[0].id, context: 'watch' });
            assert.strictEqual(scale.body.result, '2.5');
            const message = await s.failure('continue', { threadId: stopped.body.threadId });
            assert.ok(message.includes('the program is not running (core file)'), message);
        });
    });
}

function waitFor(condition, timeout = 10000) {
    return new Promise((resolve, reject) => {
        const start = Date.now();
        const timer = setInterval(() => {
            if (condition()) {
                clearInterval(timer);
                resolve();
            } else if (Date.now() - start > timeout) {
                clearInterval(timer);
                reject(new Error('timed out waiting'));
            }
        }, 20);
    });
}
