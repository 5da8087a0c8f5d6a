'use strict';
// Debug configurations: defaults filled in the way PRODUCT.md describes, no `vscode` import.

/** What F5 without a launch.json debugs: the executable named like the open C/C++ file. */
const DEFAULT_LAUNCH = Object.freeze({
    type: 'quiesce',
    request: 'launch',
    name: 'Quiesce: launch',
    program: '${fileDirname}/${fileBasenameNoExtension}',
    args: [],
    cwd: '${fileDirname}',
    stopOnEntry: false,
    nonStop: true,
});

/**
 * Fills a debug configuration before VS Code substitutes variables. Returns
 * { config } or { error } (a message for the user; the session does not start).
 * `languageId` is the active editor's language, used when there is no launch.json at all.
 */
function resolveConfiguration(config, languageId) {
    config = { ...config };
    if (!config.type && !config.request && !config.name) {
        if (languageId !== 'c' && languageId !== 'cpp' && languageId !== 'rust') {
            return { error: 'Open a C, C++ or Rust file, or add a "quiesce" configuration to launch.json (Run > Add Configuration...).' };
        }
        config = { ...DEFAULT_LAUNCH, args: [] };
    }
    config.type = config.type || 'quiesce';
    config.request = config.request || 'launch';
    config.name = config.name || `Quiesce: ${config.request}`;
    if (config.request === 'launch') {
        if (!config.program) {
            return { error: 'The "quiesce" launch configuration needs "program": the path of the executable to debug.' };
        }
        if (config.nonStop === undefined) {
            config.nonStop = true;
        }
    } else if (config.request === 'attach') {
        const given = v => v !== undefined && v !== null && v !== '';
        // By pid (processId or its alias pid), by program name (waitFor: the next one to start), else pick one.
        if (!given(config.processId) && !given(config.pid) && !given(config.program)) {
            config.processId = '${command:pickProcess}';
        }
        if (config.nonStop === undefined) {
            config.nonStop = true;
        }
    } else {
        return { error: `"request" must be "launch" or "attach", not "${config.request}".` };
    }
    return { config };
}

module.exports = { resolveConfiguration, DEFAULT_LAUNCH };
