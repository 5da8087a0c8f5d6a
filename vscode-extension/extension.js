'use strict';
// Quiesce for VS Code: starts the Quiesce DAP server (java -jar quiesce.jar, DAP on stdio),
// fills launch/attach defaults, picks a process for attach, and adds two commands that send
// Quiesce's custom requests (stepSyscall, signalPolicy) to the debug session in focus.
const vscode = require('vscode');
const cp = require('child_process');
const fs = require('fs');
const os = require('os');
const { adapterCommand, archiveTraining } = require('./lib/adapter');
const { resolveConfiguration, DEFAULT_LAUNCH } = require('./lib/config');
const { SIGNALS, FLAGS, defaultPolicy, signalPolicyArguments, describePolicy } = require('./lib/signals');
const { listProcesses } = require('./lib/processes');

const TYPE = 'quiesce';

function settings() {
    const c = vscode.workspace.getConfiguration('quiesce');
    return {
        javaPath: c.get('javaPath'),
        serverJar: c.get('serverJar'),
        nativeDir: c.get('nativeDir'),
        javaArgs: c.get('javaArgs'),
    };
}

class AdapterFactory {
    constructor(extensionPath, cdsDir) {
        this.extensionPath = extensionPath;
        this.cdsDir = cdsDir;
    }

    createDebugAdapterDescriptor(_session, executable) {
        const cmd = adapterCommand(settings(), this.extensionPath, fs.existsSync, this.cdsDir);
        if (!fs.existsSync(cmd.serverJar)) {
            throw new Error(`Quiesce server not found: ${cmd.serverJar} (check the quiesce.serverJar setting)`);
        }
        return new vscode.DebugAdapterExecutable(cmd.command, cmd.args, executable && executable.options);
    }
}

class ConfigurationProvider {
    provideDebugConfigurations() {
        return [{ ...DEFAULT_LAUNCH, program: '${workspaceFolder}/a.out', cwd: '${workspaceFolder}' }];
    }

    resolveDebugConfiguration(_folder, config) {
        const editor = vscode.window.activeTextEditor;
        const result = resolveConfiguration(config, editor && editor.document.languageId);
        if (result.error) {
            vscode.window.showErrorMessage(result.error);
            return undefined; // abort the launch
        }
        return result.config;
    }
}

function quiesceSession() {
    const session = vscode.debug.activeDebugSession;
    if (!session || session.type !== TYPE) {
        vscode.window.showErrorMessage('No Quiesce debug session is in focus.');
        return undefined;
    }
    return session;
}

/** The thread in focus in the Call Stack view, else one picked from the threads request. */
async function focusedThread(session) {
    const item = vscode.debug.activeStackItem; // VS Code >= 1.90: a DebugThread or DebugStackFrame
    if (item && item.session && item.session.id === session.id && typeof item.threadId === 'number') {
        return item.threadId;
    }
    const { threads } = await session.customRequest('threads');
    if (!threads || threads.length === 0) {
        return undefined;
    }
    if (threads.length === 1) {
        return threads[0].id;
    }
    const pick = await vscode.window.showQuickPick(
        threads.map(t => ({ label: t.name, description: `thread ${t.id}`, id: t.id })),
        { placeHolder: 'Thread to run to its next syscall (it must be stopped)' });
    return pick && pick.id;
}

async function stepSyscall() {
    const session = quiesceSession();
    if (!session) {
        return;
    }
    try {
        const threadId = await focusedThread(session);
        if (threadId !== undefined) {
            await session.customRequest('stepSyscall', { threadId });
        }
    } catch (e) {
        vscode.window.showErrorMessage(`Step to Next Syscall: ${e.message}`);
    }
}

/** Per session: the policies the server answered, so the pick starts from what is set. */
const knownPolicies = new Map();

async function setSignalPolicy() {
    const session = quiesceSession();
    if (!session) {
        return;
    }
    const signal = await vscode.window.showQuickPick(
        SIGNALS.map(s => ({ label: s.name, description: s.description })),
        { placeHolder: 'Signal whose policy to change' });
    if (!signal) {
        return;
    }
    const known = knownPolicies.get(session.id) || {};
    const current = known[signal.label] || defaultPolicy(signal.label);
    const descriptions = {
        stop: 'stop the thread that receives it',
        print: 'say so in the Debug Console',
        pass: 'deliver it to the program when it continues',
    };
    const flags = await vscode.window.showQuickPick(
        FLAGS.map(flag => ({ label: flag, description: descriptions[flag], picked: current[flag] })),
        { canPickMany: true, placeHolder: `${signal.label}: pick what happens (unpicked: off)` });
    if (!flags) {
        return;
    }
    try {
        const body = await session.customRequest('signalPolicy',
            signalPolicyArguments(signal.label, flags.map(f => f.label)));
        known[signal.label] = body;
        knownPolicies.set(session.id, known);
        vscode.window.showInformationMessage(describePolicy(body));
    } catch (e) {
        vscode.window.showErrorMessage(`Set Signal Policy: ${e.message}`);
    }
}

async function pickProcess() {
    const pick = await vscode.window.showQuickPick(
        listProcesses().filter(p => p.pid !== process.pid).map(p => ({
            label: p.name, description: String(p.pid), detail: p.commandLine, pid: p.pid,
        })),
        { placeHolder: 'Process to attach to', matchOnDescription: true, matchOnDetail: true });
    return pick ? String(pick.pid) : undefined; // undefined cancels the attach
}

/**
 * Makes the server's CDS archive in the background when the extension activates (at VS Code's
 * startup, onStartupFinished), so the first F5 after an install already maps it instead of
 * writing it (issue 19). Low priority; a failure only means the first session writes it.
 */
function makeArchiveAhead(extensionPath, cdsDir) {
    const training = cdsDir && archiveTraining(settings(), extensionPath, cdsDir);
    if (!training || !fs.existsSync(training.args[training.args.indexOf('-jar') + 1])) {
        return;
    }
    const child = cp.spawn(training.command, training.args, { stdio: 'ignore' });
    child.on('error', () => {});
    child.on('spawn', () => {
        try {
            os.setPriority(child.pid, 10);
        } catch (e) {
            // not allowed: runs at normal priority
        }
    });
    child.on('exit', code => {
        try {
            if (code === 0 && fs.existsSync(training.partial)) {
                fs.renameSync(training.partial, training.archive);
            } else {
                fs.rmSync(training.partial, { force: true });
            }
        } catch (e) {
            // the next session writes the archive itself
        }
    });
}

function activate(context) {
    const cdsDir = context.globalStorageUri && context.globalStorageUri.fsPath;
    makeArchiveAhead(context.extensionPath, cdsDir);
    context.subscriptions.push(
        vscode.debug.registerDebugAdapterDescriptorFactory(TYPE, new AdapterFactory(context.extensionPath, cdsDir)),
        vscode.debug.registerDebugConfigurationProvider(TYPE, new ConfigurationProvider()),
        vscode.debug.onDidTerminateDebugSession(s => knownPolicies.delete(s.id)),
        vscode.commands.registerCommand('quiesce.stepSyscall', stepSyscall),
        vscode.commands.registerCommand('quiesce.setSignalPolicy', setSignalPolicy),
        vscode.commands.registerCommand('quiesce.pickProcess', pickProcess));
}

function deactivate() {
}

module.exports = { activate, deactivate };
