// Drives the serve page in real headless Chromium (Debian's /usr/bin/chromium) through
// playwright-core. Run by ServePageIT; by hand:
//   node page.mjs '{"base":"http://127.0.0.1:9389","out":"../../../target/serve-page",
//     "scenarios":[{"name":"port-closed","host":"127.0.0.1:1","verdict":"FAIL",
//     "cause":"port-closed","fix":true}],"rdp":"x.rdp","evtx":"y.evtx"}'
// Prints one JSON line per check; exits 1 when any check failed.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';

const cfg = JSON.parse(process.argv[2]);
const out = cfg.out;
fs.mkdirSync(out, { recursive: true });
const TIMEOUT = cfg.timeoutMs || 30000;
let failed = 0;

function report(check, ok, detail) {
  if (!ok) failed++;
  console.log(JSON.stringify({ check, ok, detail }));
}

const browser = await chromium.launch({
  executablePath: cfg.chromium || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
  timeout: 60000,
});
try {
  const context = await browser.newContext({ acceptDownloads: true,
    viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.goto(cfg.base + '/');
  await page.waitForSelector('#client option', { state: 'attached' });

  for (const s of cfg.scenarios) {
    await page.fill('#host', s.host);
    await page.fill('#gateway', s.gateway || '');
    if (s.client) await page.selectOption('#client', s.client);
    await page.fill('#code', s.code || '');
    await page.focus('#host');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#steps li');
    const firstSteps = await page.locator('#steps li').count();
    await page.waitForSelector('#result:not([hidden])');
    const verdict = await page.textContent('#verdict-h');
    const causes = await page.locator('.finding .cause').allTextContents();
    const steps = await page.locator('#steps li').count();
    report(s.name + ': progress', firstSteps >= 1 && steps >= 1, steps + ' checks listed');
    report(s.name + ': verdict', verdict.startsWith(s.verdict), verdict);
    report(s.name + ': cause', causes.length > 0 && causes[0].startsWith(s.cause),
      causes.join(' | '));
    if (s.fix) {
      const fixes = await page.locator('.finding .fix').count();
      report(s.name + ': fix shown', fixes > 0, fixes + ' fixes');
      const [download] = await Promise.all([page.waitForEvent('download'),
        page.click('#download')]);
      const file = path.join(out, s.name + '-' + download.suggestedFilename());
      await download.saveAs(file);
      const head = fs.readFileSync(file).subarray(0, 2).toString('latin1');
      report(s.name + ': fix zip', head === 'PK', file + ' ' + fs.statSync(file).size + ' bytes');
    }
    await page.screenshot({ path: path.join(out, s.name + '.png'), fullPage: true });
  }

  if (cfg.explain) {
    await page.fill('#explain-code', cfg.explain[0]);
    await page.fill('#explain-ext', cfg.explain[1] || '');
    await page.click('#explain-form button');
    await page.waitForSelector('#explain-out p');
    const text = await page.textContent('#explain-out');
    report('explain', text.includes(cfg.explainExpect), text.slice(0, 160));
  }

  for (const [kind, file, expect] of [['rdp', cfg.rdp, cfg.rdpExpect],
    ['evtx', cfg.evtx, cfg.evtxExpect]]) {
    if (!file) continue;
    await page.setInputFiles('#file', file);
    await page.click('#file-form button');
    await page.waitForSelector('#file-out h3');
    const text = await page.textContent('#file-out');
    report('upload ' + kind, text.includes(path.basename(file)) && text.includes(expect),
      text.slice(0, 200));
    await page.screenshot({ path: path.join(out, 'upload-' + kind + '.png'), fullPage: true });
  }

  // the same page on a phone
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const p2 = await phone.newPage();
  p2.setDefaultTimeout(TIMEOUT);
  await p2.goto(cfg.base + '/');
  await p2.waitForSelector('#client option', { state: 'attached' });
  if (cfg.scenarios.length) {
    await p2.fill('#host', cfg.scenarios[0].host);
    await p2.click('#run');
    await p2.waitForSelector('#result:not([hidden])');
  }
  const overflow = await p2.evaluate(() => document.documentElement.scrollWidth
    - document.documentElement.clientWidth);
  report('phone: no sideways scrolling', overflow <= 0, overflow + ' px too wide');
  await p2.screenshot({ path: path.join(out, 'phone.png'), fullPage: true });
  report('no console errors', consoleErrors.length === 0, consoleErrors.join(' | '));
} catch (e) {
  report('script', false, String(e && e.stack || e));
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
