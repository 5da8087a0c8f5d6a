'use strict';
// A DebugClient (the client VS Code's own debug adapters are tested with) against the real
// Quiesce server, over stdio or TCP, plus an event history: every event the server sends is
// kept, and event() takes the first one not taken yet that matches, waiting (with a timeout)
// if it has not come. So no event is missed because it arrived before a test asked for it.
const assert = require('assert');
const cp = require('child_process');
const fs = require('fs');
const path = require('path');
const { DebugClient } = require('@vscode/debugadapter-testsupport');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const JAR = path.resolve(process.env.QUIESCE_JAR || path.join(ROOT, 'dap-server', 'target', 'quiesce.jar'));
const NATIVE_DIR = path.resolve(process.env.QUIESCE_NATIVE_DIR || path.join(ROOT, 'native', 'target'));
const PROGRAMS = path.resolve(process.env.QUIESCE_TESTPROGRAMS || path.join(ROOT, 'test-programs', 'target', 'bin'));
const EVENT_TIMEOUT = 10000;
const SHOW_SERVER_STDERR = !!process.env.QUIESCE_TEST_STDERR;

for (const file of [JAR, path.join(NATIVE_DIR, 'quiesce-launcher'), path.join(PROGRAMS, 'hello')]) {
    if (!fs.existsSync(file)) {
        throw new Error(`${file} is missing: build the server first (mvn -B -q package -DskipTests), `
            + 'or set QUIESCE_JAR, QUIESCE_NATIVE_DIR, QUIESCE_TESTPROGRAMS');
    }
}

const program = name => path.join(PROGRAMS, name);

class Session {
    constructor(dc) {
        this.dc = dc;
        /** Added to what initialize declares (e.g. supportsRunInTerminalRequest: true). */
        this.clientCapabilities = {};
        this.history = [];
        this.taken = new Set();
        this.waiters = [];
        const emit = dc.emit.bind(dc);
        dc.emit = (name, message) => {
            if (message && message.type === 'event') {
                this.history.push(message);
                this.waiters.slice().forEach(w => w.check());
            }
            return emit(name, message);
        };
    }

    /** The first event of this type (and matching `test`) not yet taken; waits up to `timeout` ms. */
    event(type, test = () => true, timeout = EVENT_TIMEOUT) {
        return new Promise((resolve, reject) => {
            const waiter = {
                check: () => {
                    const i = this.history.findIndex((e, n) => !this.taken.has(n) && e.event === type && test(e.body || {}));
                    if (i < 0) {
                        return false;
                    }
                    this.taken.add(i);
                    clearTimeout(waiter.timer);
                    this.waiters = this.waiters.filter(w => w !== waiter);
                    resolve(this.history[i]);
                    return true;
                },
            };
            if (waiter.check()) {
                return;
            }
            waiter.timer = setTimeout(() => {
                this.waiters = this.waiters.filter(w => w !== waiter);
                const seen = this.history.map(e => e.event + (e.body && e.body.reason ? `(${e.body.reason})` : '')).join(' ');
                reject(new Error(`no '${type}' event as expected within ${timeout} ms; events so far: ${seen}`));
            }, timeout);
            this.waiters.push(waiter);
        });
    }

    /**
     * Answers the server's reverse requests named `command` (DebugClient drops them) with what
     * `handler(arguments)` returns: a body, or a thrown Error for a failed response.
     */
    answerReverse(command, handler) {
        const dispatch = this.dc.dispatch.bind(this.dc);
        this.dc.dispatch = body => {
            const message = JSON.parse(body);
            if (message.type !== 'request' || message.command !== command) {
                return dispatch(body);
            }
            let response;
            try {
                response = { success: true, body: handler(message.arguments) };
            } catch (e) {
                response = { success: false, message: e.message };
            }
            const json = JSON.stringify({ type: 'response', seq: this.dc.sequence++, request_seq: message.seq, command, ...response });
            this.dc.outputStream.write(`Content-Length: ${Buffer.byteLength(json, 'utf8')}\r\n\r\n${json}`, 'utf8');
        };
    }

    /** Everything the program and the server printed, by category. */
    output(category) {
        return this.history.filter(e => e.event === 'output' && e.body.category === category).map(e => e.body.output).join('');
    }

    /** What VS Code sends first; waits for `initialized` before anything else goes out. */
    async initialize() {
        const response = await this.dc.initializeRequest({
            clientID: 'vscode', clientName: 'Visual Studio Code', adapterID: 'quiesce', locale: 'en',
            linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path',
            supportsVariableType: true, supportsVariablePaging: true, supportsRunInTerminalRequest: false,
            supportsMemoryReferences: true, supportsProgressReporting: true, supportsInvalidatedEvent: true,
            supportsMemoryEvent: true, supportsArgsCanBeInterpretedByShell: true, supportsStartDebuggingRequest: true,
            ...this.clientCapabilities,
        });
        this.capabilities = response.body;
        await this.event('initialized');
        return this.capabilities;
    }

    /**
     * initialize, then launch (or attach) with the configuration requests VS Code sends:
     * setExceptionBreakpoints (the filters on by default, or `exceptions`), configurationDone.
     * Resolves with the launch response; the program runs from configurationDone on.
     */
    async start(request, args, exceptions) {
        await this.initialize();
        const started = this.dc.send(request, { type: 'quiesce', request, name: 'test', ...args });
        await this.dc.setExceptionBreakpointsRequest(exceptions || {
            filters: this.capabilities.exceptionBreakpointFilters.filter(f => f.default).map(f => f.filter),
        });
        await this.dc.configurationDoneRequest();
        return started;
    }

    launch(args, exceptions) {
        return this.start('launch', args, exceptions);
    }

    /** A request expected to fail: resolves with the server's message. */
    async failure(command, args) {
        try {
            await this.dc.send(command, args);
        } catch (e) {
            return e.message;
        }
        assert.fail(`${command} ${JSON.stringify(args)} succeeded; expected an error`);
    }

    async threadsByName() {
        const { body } = await this.dc.threadsRequest();
        // The server names threads "name [tid]"; tests look them up by the program's own name.
        return Object.fromEntries(body.threads.map(t => [t.name.replace(new RegExp(` \\[${t.id}\\]$`), ''), t.id]));
    }

    /** disconnect (which ends a launched program), then close the connection or end the server. */
    async stop() {
        const dc = this.dc;
        let timer;
        const timeout = new Promise(resolve => { timer = setTimeout(resolve, 5000); });
        await Promise.race([dc.disconnectRequest({ terminateDebuggee: true }).catch(() => {}), timeout]);
        clearTimeout(timer);
        dc.stopAdapter();
    }
}

/** stdio: `java -jar quiesce.jar`, one server process per session (what VS Code does). */
const stdio = {
    name: 'stdio',
    before() {},
    after() {},
    async connect() {
        const dc = new DebugClient('sh', path.join(__dirname, 'quiesce-stdio.sh'), 'quiesce', {
            env: { ...process.env, QUIESCE_JAR: JAR, QUIESCE_NATIVE_DIR: NATIVE_DIR },
        }, SHOW_SERVER_STDERR);
        dc.defaultTimeout = EVENT_TIMEOUT;
        await dc.start();
        return new Session(dc);
    },
};

/** TCP: one `quiesce --port 0` server for the suite, one connection per session. */
const tcp = {
    name: 'TCP',
    server: null,
    port: null,
    before() {
        return new Promise((resolve, reject) => {
            const server = cp.spawn('java', [`-Dquiesce.native.dir=${NATIVE_DIR}`, '-jar', JAR, '--port', '0'],
                { stdio: ['ignore', 'ignore', 'pipe'] });
            this.server = server;
            let stderr = '';
            const timer = setTimeout(() => reject(new Error(`the server did not say its port within 20 s: ${stderr}`)), 20000);
            server.stderr.on('data', data => {
                stderr += data;
                if (SHOW_SERVER_STDERR) {
                    process.stderr.write(data);
                }
                const m = /serving DAP on [^\s:]+:(\d+)/.exec(stderr);
                // this.server: a server killed by an earlier suite's after() may still be
                // writing; its port is not this suite's.
                if (m && this.port === null && this.server === server) {
                    this.port = Number(m[1]);
                    clearTimeout(timer);
                    resolve();
                }
            });
            server.on('exit', code => {
                clearTimeout(timer);
                reject(new Error(`the server exited (${code}) before serving: ${stderr}`));
            });
            server.on('error', reject);
        });
    },
    after() {
        if (this.server) {
            this.server.kill();
            this.server = null;
            this.port = null;
        }
    },
    async connect() {
        const dc = new DebugClient('java', JAR, 'quiesce');
        dc.defaultTimeout = EVENT_TIMEOUT;
        await dc.start(this.port);
        return new Session(dc);
    },
};

module.exports = { Session, stdio, tcp, program, JAR, NATIVE_DIR, PROGRAMS, ROOT, EVENT_TIMEOUT };
