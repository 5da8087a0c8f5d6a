'use strict';
// Just enough of the `vscode` API for extension.js to activate outside VS Code (which cannot
// be downloaded here): records what it registers, and lets a test script the UI answers.
const Module = require('module');

function createFakeVscode() {
    const fake = {
        registered: { factories: {}, providers: {}, commands: {} },
        messages: { info: [], error: [] },
        quickPickAnswers: [], // each: function(items, options) => the answer
        quickPicks: [],
        settings: {},
        DebugAdapterExecutable: class {
            constructor(command, args, options) {
                Object.assign(this, { command, args, options });
            }
        },
        debug: {
            activeDebugSession: undefined,
            activeStackItem: undefined,
            registerDebugAdapterDescriptorFactory: (type, f) => { fake.registered.factories[type] = f; return { dispose() {} }; },
            registerDebugConfigurationProvider: (type, p) => { fake.registered.providers[type] = p; return { dispose() {} }; },
            onDidTerminateDebugSession: () => ({ dispose() {} }),
        },
        commands: {
            registerCommand: (id, fn) => { fake.registered.commands[id] = fn; return { dispose() {} }; },
        },
        workspace: {
            getConfiguration: section => ({ get: key => fake.settings[`${section}.${key}`] }),
        },
        window: {
            activeTextEditor: undefined,
            showErrorMessage: m => { fake.messages.error.push(m); return Promise.resolve(); },
            showInformationMessage: m => { fake.messages.info.push(m); return Promise.resolve(); },
            showQuickPick: async (items, options) => {
                fake.quickPicks.push({ items: await items, options });
                const answer = fake.quickPickAnswers.shift();
                if (!answer) {
                    throw new Error(`unexpected quick pick: ${options && options.placeHolder}`);
                }
                return answer(await items, options);
            },
        },
    };
    return fake;
}

/** Loads extension.js (fresh) with `require('vscode')` answered by `fake`. */
function loadExtension(fake) {
    const resolve = Module._resolveFilename;
    const load = Module._load;
    Module._load = function (request, ...rest) {
        return request === 'vscode' ? fake : load.call(this, request, ...rest);
    };
    try {
        const file = require.resolve('../../extension.js');
        delete require.cache[file];
        return require(file);
    } finally {
        Module._load = load;
        Module._resolveFilename = resolve;
    }
}

module.exports = { createFakeVscode, loadExtension };
