'use strict';
// bench/run --vscode (issue 19): F5 -> paused in a real VS Code (code-server in Debian's chromium,
// driven by puppeteer-core). Opens WORKSPACE, opens SOURCE, puts a breakpoint on LINE (Ctrl+G, F9),
// then for each round presses F5 and times until the editor shows the paused frame (the top stack
// frame's arrow in the glyph margin, which needs stopped + threads + stackTrace answered), and
// separately until the debug toolbar offers Continue (the stopped event handled). Shift+F5 ends the
// session and the next round starts. Round 1 is cold (first session after code-server started:
// the extension activates, no AppCDS archive yet); later rounds warm. Screenshots go to SHOTS.
// Usage: node f5.js URL WORKSPACE SOURCE LINE ROUNDS SHOTS CHROMIUM
const puppeteer = require('puppeteer-core');
const path = require('path');

const [url, workspace, source, line, rounds, shots, chromium] = process.argv.slice(2);
const sleep = ms => new Promise(r => setTimeout(r, ms));

async function waitFor(page, selector, timeout) {
    await page.waitForSelector(selector, { timeout, visible: true });
}

async function main() {
    const browser = await puppeteer.launch({
        executablePath: chromium, headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--window-size=1400,900'],
        defaultViewport: { width: 1400, height: 900 },
    });
    const results = [];
    try {
        const page = await browser.newPage();
        await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}`, { waitUntil: 'domcontentloaded', timeout: 120000 });
        await waitFor(page, '.monaco-workbench .part.editor', 120000);
        await sleep(3000); // let the workbench settle (extensions host, explorer)
        // open the source: quick open, type its name
        await page.keyboard.down('Control'); await page.keyboard.press('KeyP'); await page.keyboard.up('Control');
        await waitFor(page, '.quick-input-widget input', 20000);
        await page.keyboard.type(path.basename(source));
        await sleep(1500);
        await page.keyboard.press('Enter');
        await waitFor(page, '.monaco-editor .view-lines', 20000);
        await sleep(1000);
        // go to the line, toggle a breakpoint there
        await page.keyboard.down('Control'); await page.keyboard.press('KeyG'); await page.keyboard.up('Control');
        await waitFor(page, '.quick-input-widget input', 20000);
        await page.keyboard.type(String(line));
        await page.keyboard.press('Enter');
        await sleep(500);
        await page.keyboard.press('F9');
        await waitFor(page, '.codicon-debug-breakpoint', 20000);
        await page.screenshot({ path: path.join(shots, 'breakpoint.png') });
        for (let r = 1; r <= Number(rounds); r++) {
            await sleep(1500);
            const t0 = Date.now();
            await page.keyboard.press('F5');
            let toolbar = null;
            const toolbarSeen = page.waitForSelector('.debug-toolbar .codicon-debug-continue', { timeout: 60000, visible: true })
                .then(() => { toolbar = Date.now() - t0; });
            await waitFor(page, '.codicon-debug-stackframe', 60000);
            const paused = Date.now() - t0;
            await toolbarSeen;
            results.push({ round: r, paused, toolbar });
            await page.screenshot({ path: path.join(shots, `paused-${r}.png`) });
            console.log(`round ${r} (${r === 1 ? 'cold' : 'warm'}): F5 -> paused frame shown ${paused} ms, Continue offered ${toolbar} ms`);
            await page.keyboard.down('Shift'); await page.keyboard.press('F5'); await page.keyboard.up('Shift');
            await page.waitForSelector('.debug-toolbar', { hidden: true, timeout: 30000 }).catch(() => {});
            await page.waitForSelector('.codicon-debug-stackframe', { hidden: true, timeout: 30000 });
        }
        await page.screenshot({ path: path.join(shots, 'after.png') });
    } finally {
        await browser.close();
    }
    console.log('RESULT ' + JSON.stringify(results));
}

main().catch(e => { console.error(e); process.exit(1); });
