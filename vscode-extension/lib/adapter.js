'use strict';
// How the extension starts the Quiesce server: pure functions, no `vscode` import, so the
// tests can check them without an editor.
const fs = require('fs');
const path = require('path');

const LAUNCHER = 'quiesce-launcher';

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
 * The command line of the debug adapter: `java -Dquiesce.native.dir=DIR -jar JAR` (stdio DAP).
 * settings: { javaPath, serverJar, nativeDir, javaArgs } as in package.json's configuration.
 */
function adapterCommand(settings, extensionPath, exists = fs.existsSync) {
    const bundledDir = path.join(extensionPath, 'server');
    const javaPath = settings.javaPath || javaFromHome(process.env.JAVA_HOME, exists) || 'java';
    const serverJar = settings.serverJar || path.join(bundledDir, 'quiesce.jar');
    const dir = nativeDir(serverJar, settings.nativeDir, bundledDir, exists);
    const args = [...(settings.javaArgs || []), `-Dquiesce.native.dir=${dir}`, '-jar', serverJar];
    return { command: javaPath, args, serverJar, nativeDir: dir };
}

function javaFromHome(javaHome, exists) {
    if (!javaHome) {
        return undefined;
    }
    const java = path.join(javaHome, 'bin', 'java');
    return exists(java) ? java : undefined;
}

module.exports = { adapterCommand, nativeDir, LAUNCHER };
