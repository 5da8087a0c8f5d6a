'use strict';
// npm run package: bundle the server (quiesce.jar and its native helper quiesce-launcher) into
// server/ and a Java runtime into runtime/, then build the .vsix with vsce. QUIESCE_JAR / QUIESCE_NATIVE_DIR override where they
// come from (default: this repository's Maven build).
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const root = path.resolve(__dirname, '..');
const jar = process.env.QUIESCE_JAR || path.join(root, '..', 'dap-server', 'target', 'quiesce.jar');
const nativeDir = process.env.QUIESCE_NATIVE_DIR || path.join(root, '..', 'native', 'target');
const launcher = path.join(nativeDir, 'quiesce-launcher');
for (const file of [jar, launcher]) {
    if (!fs.existsSync(file)) {
        console.error(`package: ${file} is missing; build the server first: mvn -B -q package -DskipTests`);
        process.exit(1);
    }
}
const server = path.join(root, 'server');
fs.rmSync(server, { recursive: true, force: true });
fs.mkdirSync(server);
fs.copyFileSync(jar, path.join(server, 'quiesce.jar'));
fs.copyFileSync(launcher, path.join(server, 'quiesce-launcher'));
fs.chmodSync(path.join(server, 'quiesce-launcher'), 0o755);
// JNA's native library, loaded from here instead of unpacked from the jar on every start (JnaSetup).
const dispatch = path.join(nativeDir, 'jna', 'com', 'sun', 'jna', 'linux-x86-64', 'libjnidispatch.so');
if (fs.existsSync(dispatch)) {
    fs.copyFileSync(dispatch, path.join(server, 'libjnidispatch.so'));
}

// The Java runtime the server runs on, so a user installs nothing else (issue 19): jlink with the
// modules the server needs (java.desktop and java.sql, which jdeps lists for JNA's AWT helpers
// and Gson's optional SQL adapters, are never loaded), plus the JDK classes' CDS archive.
// QUIESCE_JLINK names the jlink (default: $JAVA_HOME/bin/jlink, else jlink on PATH).
const runtime = path.join(root, 'runtime');
fs.rmSync(runtime, { recursive: true, force: true });
const jlink = process.env.QUIESCE_JLINK
    || (process.env.JAVA_HOME && path.join(process.env.JAVA_HOME, 'bin', 'jlink')) || 'jlink';
execFileSync(jlink, ['--add-modules', 'java.base,java.logging,jdk.unsupported',
    '--strip-debug', '--no-man-pages', '--no-header-files', '--compress=2', '--generate-cds-archive',
    '--output', runtime], { stdio: ['ignore', 'ignore', 'inherit'] });
// The server runs with compressed oops (heaps under 32 GB): the other archive is never mapped.
fs.rmSync(path.join(runtime, 'lib', 'server', 'classes_nocoops.jsa'), { force: true });

const version = require(path.join(root, 'package.json')).version;
const out = path.join(root, `quiesce-linux-x64-${version}.vsix`);
const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
// linux-x64: the launcher is an x86-64 Linux executable, and Quiesce debugs only there.
execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--target', 'linux-x64',
    '--skip-license', '--allow-missing-repository', '--out', out], { cwd: root, stdio: 'inherit' });
console.log(`package: ${path.relative(process.cwd(), out)}`);
