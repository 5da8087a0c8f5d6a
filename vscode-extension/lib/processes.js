'use strict';
// The processes ${command:pickProcess} offers for attach, read from /proc.
const fs = require('fs');
const path = require('path');

function listProcesses(procRoot = '/proc') {
    const result = [];
    for (const entry of fs.readdirSync(procRoot)) {
        if (!/^\d+$/.test(entry)) {
            continue;
        }
        try {
            const dir = path.join(procRoot, entry);
            const comm = fs.readFileSync(path.join(dir, 'comm'), 'utf8').trim();
            const cmdline = fs.readFileSync(path.join(dir, 'cmdline'), 'utf8').split('\0').filter(Boolean).join(' ');
            if (!cmdline) {
                continue; // kernel threads: nothing to attach to
            }
            result.push({ pid: Number(entry), name: comm, commandLine: cmdline });
        } catch (e) {
            // gone meanwhile, or not ours to read
        }
    }
    return result.sort((a, b) => b.pid - a.pid);
}

module.exports = { listProcesses };
