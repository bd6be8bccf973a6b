// Takes the release binary and the example site; builds it, serves it on 127.0.0.1 and checks the
// default theme in a real browser: HTML validity (vnu), axe in light and dark mode, no JavaScript needed,
// no third-party requests, page weight, no horizontal scrolling, tap targets, print styles, Lighthouse.
// Prints one line per check and ends with `N passed, M failed`; exit code 1 when anything failed.
// Usage: node suite.mjs --binary ../../target/release/pamphlet [--root ../..] [--only name,name] [--no-lighthouse]

import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, readdirSync, statSync, rmSync, cpSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname, extname, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const args = parseArgs(process.argv.slice(2));
const ROOT = resolve(args.root ?? join(here, '..', '..'));
const BINARY = resolve(args.binary ?? join(ROOT, 'target', 'release', 'pamphlet'));
const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const JAVA = process.env.JAVA ?? 'java';
const CHROME_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ARTIFACTS = join(here, 'artifacts');
const WEIGHT_BUDGET = 30_000; // bytes: an article page plus its CSS, uncompressed, images excluded
const CSS_BUDGET = 14_000; // bytes: "one small CSS file"
const MIN_TARGET = 24; // px, WCAG 2.2 target size (minimum)

// Pages every page-level check visits; filled in once the site is built.
const KEY = { home: '/', article: '/articles/liberterra-iii/', category: '/category/human-trafficking/', notFound: '/no-such-page/' };

const results = [];
const cleanups = [];
let failed = false;

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--no-lighthouse') out.noLighthouse = true;
    else if (a.startsWith('--')) out[a.slice(2)] = argv[++i];
  }
  return out;
}

function record(name, ok, detail = '') {
  results.push({ name, ok, detail });
  if (!ok) failed = true;
  const lines = detail ? `\n${String(detail).split('\n').map((l) => `      ${l}`).join('\n')}` : '';
  console.log(`${ok ? 'PASS' : 'FAIL'}  ${name}${lines}`);
}

function note(text) {
  console.log(`NOTE  ${text}`);
}

async function check(name, fn) {
  if (args.only && !args.only.split(',').some((o) => name.includes(o))) return;
  try {
    const problems = await fn();
    if (Array.isArray(problems)) record(name, problems.length === 0, problems.slice(0, 25).join('\n'));
    else record(name, true, problems ?? '');
  } catch (e) {
    record(name, false, e?.stack ?? String(e));
  }
}

function run(cmd, argv, opts = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

/** Site path of an output file: `articles/x/index.html` -> `/articles/x/`. */
function sitePath(dir, file) {
  const rel = relative(dir, file).split(sep).join('/');
  return '/' + rel.replace(/(^|\/)index\.html$/, '$1');
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp', '.xml': 'application/xml',
  '.json': 'application/json', '.txt': 'text/plain; charset=utf-8', '.js': 'text/javascript' };

/** A tiny static server for `dir` on 127.0.0.1 (directory -> index.html, missing -> 404.html with status 404). */
function serve(dir) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let path = decodeURIComponent(url.pathname);
    if (path.includes('..')) { res.writeHead(400); res.end(); return; }
    let file = join(dir, path);
    if (path.endsWith('/')) file = join(file, 'index.html');
    else if (existsSync(file) && statSync(file).isDirectory()) {
      res.writeHead(301, { location: path + '/' }); res.end(); return;
    }
    let status = 200;
    if (!existsSync(file) || !statSync(file).isFile()) { status = 404; file = join(dir, '404.html'); }
    const body = existsSync(file) ? readFileSync(file) : Buffer.from('not found');
    // Fingerprinted names never change content, so they can be cached for a year; pages revalidate.
    const immutable = /\.[0-9a-f]{10}\.css$/.test(file);
    res.writeHead(status, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  return new Promise((res) => server.listen(0, '127.0.0.1', () => res(server)));
}

async function build(root, out, baseUrl) {
  const r = await run(BINARY, ['build', '--root', root, '--output', out, '--base-url', baseUrl]);
  if (r.code !== 0) throw new Error(`pamphlet build failed (${r.code}):\n${r.stdout}${r.stderr}`);
  return r.stdout.trim();
}

async function main() {
  if (!existsSync(BINARY)) throw new Error(`no binary at ${BINARY}: run cargo build --release first`);
  const tmp = mkdtempSync(join(tmpdir(), 'pamphlet-browser-'));
  cleanups.push(() => rmSync(tmp, { recursive: true, force: true }));
  mkdirSync(ARTIFACTS, { recursive: true });

  const server = await serve(join(tmp, 'site'));
  cleanups.push(() => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const siteDir = join(tmp, 'site');
  console.log(await build(ROOT, siteDir, `${origin}/`));

  // A copy of the example site paginated by 3, so pagination markup is validated too.
  const paged = join(tmp, 'paged');
  mkdirSync(paged);
  cpSync(join(ROOT, 'content'), join(paged, 'content'), { recursive: true });
  if (existsSync(join(ROOT, 'themes'))) cpSync(join(ROOT, 'themes'), join(paged, 'themes'), { recursive: true });
  const toml = readFileSync(join(ROOT, 'site.toml'), 'utf8');
  writeFileSync(join(paged, 'site.toml'), /^paginate\s*=/m.test(toml)
    ? toml.replace(/^paginate\s*=.*$/m, 'paginate = 3') : `paginate = 3\n${toml}`);
  const pagedOut = join(tmp, 'paged-out');
  await build(paged, pagedOut, `${origin}/`);

  const language = (toml.match(/^language\s*=\s*"([^"]+)"/m) ?? [null, 'en'])[1];
  const htmlFiles = walk(siteDir).filter((f) => f.endsWith('.html'));
  const pages = htmlFiles.map((f) => sitePath(siteDir, f)).filter((p) => p !== '/404.html');
  const articles = pages.filter((p) => p.startsWith('/articles/'));
  console.log(`Serving ${htmlFiles.length} HTML pages at ${origin}`);

  await checkHtml(htmlFiles, walk(pagedOut).filter((f) => f.endsWith('.html')), siteDir);

  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROME, headless: true, args: CHROME_FLAGS.slice(1) });
  cleanups.unshift(() => browser.close());
  await browserChecks(browser, origin, pages, articles, language, siteDir, pagedOut);
  await browser.close();

  if (args.noLighthouse) note('Lighthouse skipped (--no-lighthouse)');
  else await lighthouseChecks(origin);
}

/** W3C Nu Html Checker on every HTML page (and the stylesheet). */
async function checkHtml(htmlFiles, pagedFiles, siteDir) {
  const css = walk(siteDir).filter((f) => f.endsWith('.css'));
  await check(`vnu: zero errors on all ${htmlFiles.length} HTML pages, ${pagedFiles.length} paginated-variant pages and the CSS`, async () => {
    const jar = require('vnu-jar');
    const r = await run(JAVA, ['-jar', jar, '--errors-only', '--format', 'json', '--also-check-css', ...htmlFiles, ...pagedFiles, ...css]);
    const messages = JSON.parse(r.stderr || r.stdout || '{"messages":[]}').messages ?? [];
    const errors = messages.filter((m) => m.type === 'error' || m.subType === 'fatal');
    if (r.code !== 0 && errors.length === 0) return [`vnu exited ${r.code}: ${r.stderr.slice(0, 500)}`];
    return errors.map((m) => `${m.url?.replace(/^file:.*?pamphlet-browser-[^/]+\//, '')}:${m.lastLine}: ${m.message}`);
  });
}

async function browserChecks(browser, origin, pages, articles, language, siteDir, pagedOut) {
  const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const thirdParty = [];
  const newContext = async (opts = {}) => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...opts });
    // Anything leaving the site's origin is recorded and blocked (data: URLs never reach the network).
    await ctx.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(origin + '/') || url.startsWith('data:')) return route.continue();
      thirdParty.push(`${route.request().frame().url()} -> ${url}`);
      return route.abort();
    });
    return ctx;
  };

  // Axe and the page-level accessibility checks, in light and dark mode.
  const ctx = await newContext();
  const page = await ctx.newPage();
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [name, path] of Object.entries(KEY)) {
      await check(`axe: zero violations on ${name} (${path}) in ${scheme} mode`, async () => {
        await page.goto(origin + path);
        await page.addScriptTag({ content: axeSource });
        const res = await page.evaluate(async () => {
          // target-size (WCAG 2.2 AA) is off by default in axe; turn it on.
          const r = await window.axe.run(document, { rules: { 'target-size': { enabled: true } }, resultTypes: ['violations'] });
          return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
        });
        return res;
      });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });

  for (const [name, path] of Object.entries(KEY)) {
    await check(`structure: ${name} has lang="${language}", one h1, banner/nav/main/contentinfo landmarks`, async () => {
      const resp = await page.goto(origin + path);
      const problems = [];
      if (name === 'notFound' && resp.status() !== 404) problems.push(`status ${resp.status()}, expected 404`);
      const s = await page.evaluate(() => ({
        lang: document.documentElement.lang,
        h1: document.querySelectorAll('h1').length,
        banner: document.querySelectorAll('body > header').length,
        nav: document.querySelectorAll('nav').length,
        main: document.querySelectorAll('main').length,
        contentinfo: document.querySelectorAll('body > footer').length,
        title: document.title,
      }));
      if (s.lang !== language) problems.push(`lang="${s.lang}"`);
      if (s.h1 !== 1) problems.push(`${s.h1} h1 elements`);
      for (const k of ['banner', 'main', 'contentinfo']) if (s[k] !== 1) problems.push(`${s[k]} ${k} landmarks`);
      if (s.nav < 1) problems.push('no nav landmark');
      if (!s.title) problems.push('empty <title>');
      return problems;
    });
    await check(`keyboard: ${name} skip link comes first, shows on focus and moves focus to main; focus is visible`, async () => {
      await page.goto(origin + path);
      const problems = [];
      await page.keyboard.press('Tab');
      const first = await page.evaluate(() => {
        const a = document.activeElement;
        const r = a.getBoundingClientRect();
        return { href: a.getAttribute('href'), text: a.textContent, top: r.top, left: r.left, w: r.width, h: r.height,
          outline: getComputedStyle(a).outlineStyle, width: parseFloat(getComputedStyle(a).outlineWidth) };
      });
      if (first.href !== '#main') problems.push(`first Tab stop is ${first.href} "${first.text}", not the skip link`);
      if (first.top < 0 || first.left < 0 || first.w < 1 || first.h < MIN_TARGET) problems.push(`skip link not visible when focused: ${JSON.stringify(first)}`);
      await page.keyboard.press('Enter');
      const afterSkip = await page.evaluate(() => document.activeElement?.id);
      if (afterSkip !== 'main') problems.push(`after Enter on the skip link focus is on #${afterSkip}`);
      // Tab through the first links and controls: each one must show a focus indicator.
      for (let i = 0; i < 12; i++) {
        await page.keyboard.press('Tab');
        const f = await page.evaluate(() => {
          const a = document.activeElement;
          const cs = getComputedStyle(a);
          return { tag: a.tagName, text: (a.textContent || a.name || '').trim().slice(0, 30), style: cs.outlineStyle, width: parseFloat(cs.outlineWidth) };
        });
        if (f.tag === 'BODY') break;
        if (f.style === 'none' || f.width < 2) problems.push(`no visible focus on ${f.tag} "${f.text}" (outline ${f.style} ${f.width}px)`);
      }
      return problems;
    });
  }

  // The FAQ opens from the keyboard, with JavaScript off.
  const noJs = await newContext({ javaScriptEnabled: false });
  const njPage = await noJs.newPage();
  await check('no JavaScript: every page renders its h1 and ships no script a reader needs', async () => {
    const problems = [];
    for (const path of [...pages, KEY.notFound]) {
      await njPage.goto(origin + path);
      const h1 = await njPage.locator('h1').first();
      if (!(await h1.isVisible())) problems.push(`${path}: h1 not visible`);
      const scripts = await njPage.locator('script:not([type="application/ld+json"])').count();
      if (scripts) problems.push(`${path}: ${scripts} <script> element(s)`);
    }
    return problems;
  });
  await check('no JavaScript: FAQ answers open with the keyboard (summary + Enter) and by click', async () => {
    await njPage.goto(origin + KEY.article);
    const problems = [];
    const details = njPage.locator('.faq details');
    if ((await details.count()) < 2) return ['the article has fewer than 2 FAQ entries'];
    await njPage.locator('.faq summary').first().focus();
    await njPage.keyboard.press('Enter');
    if (!(await details.first().evaluate((d) => d.open))) problems.push('Enter on the first summary did not open it');
    if (!(await njPage.locator('.faq .answer').first().isVisible())) problems.push('first answer not visible after opening');
    await njPage.locator('.faq summary').nth(1).click();
    if (!(await details.nth(1).evaluate((d) => d.open))) problems.push('click on the second summary did not open it');
    return problems;
  });
  await check('no JavaScript: newsletter form has a labelled email field, a button and posts to [newsletter].action', async () => {
    await njPage.goto(origin + KEY.article);
    const f = await njPage.evaluate(() => {
      const form = document.querySelector('.newsletter form');
      const input = form?.querySelector('input[type=email]');
      return form && { method: form.method, action: form.getAttribute('action'), label: input?.labels?.[0]?.textContent,
        required: input?.required, button: form.querySelector('button[type=submit]')?.textContent,
        heading: document.querySelector('.newsletter h2')?.textContent };
    });
    if (!f) return ['no newsletter form on the article page'];
    const toml = readFileSync(join(ROOT, 'site.toml'), 'utf8');
    const action = (toml.match(/^action\s*=\s*"([^"]+)"/m) ?? [])[1];
    const problems = [];
    if (f.method !== 'post') problems.push(`method ${f.method}`);
    if (action && f.action !== action) problems.push(`action ${f.action}, expected ${action}`);
    if (!f.label) problems.push('email field has no <label>');
    if (!f.button) problems.push('no submit button');
    if (!f.heading) problems.push('no heading');
    return problems;
  });
  await noJs.close();

  // Third-party requests on every page (the route handler above has been recording all along).
  await check('no third-party requests on any page (fonts, scripts, trackers, images)', async () => {
    for (const path of [...pages, KEY.notFound]) await page.goto(origin + path, { waitUntil: 'networkidle' });
    return thirdParty;
  });

  await check('weight: one small stylesheet per page, under a content-hashed (cache-friendly) name', async () => {
    const problems = [];
    for (const path of [...pages, KEY.notFound]) {
      await page.goto(origin + path);
      const hrefs = await page.evaluate(() => [...document.querySelectorAll('link[rel=stylesheet]')].map((l) => l.getAttribute('href')));
      if (hrefs.length !== 1) problems.push(`${path}: ${hrefs.length} stylesheets`);
      for (const h of hrefs) if (!/\/style\.[0-9a-f]{10}\.css$/.test(h)) problems.push(`${path}: stylesheet ${h} has no content hash in its name`);
    }
    const css = walk(siteDir).filter((f) => /\/style\.[0-9a-f]{10}\.css$/.test(f));
    if (css.length !== 1) problems.push(`${css.length} theme stylesheets in the output`);
    for (const f of css) if (statSync(f).size > CSS_BUDGET) problems.push(`${f}: ${statSync(f).size} bytes > ${CSS_BUDGET}`);
    return problems;
  });
  await check(`weight: each article page plus its CSS under ${WEIGHT_BUDGET} bytes uncompressed (images excluded)`, async () => {
    const problems = [];
    const sizes = [];
    for (const path of articles) {
      const html = await (await fetch(origin + path)).text();
      const hrefs = [...html.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((m) => m[1]);
      let total = Buffer.byteLength(html);
      for (const h of hrefs) total += (await (await fetch(new URL(h, origin + path))).arrayBuffer()).byteLength;
      sizes.push(`${path}: ${total}`);
      if (total >= WEIGHT_BUDGET) problems.push(`${path}: ${total} bytes`);
    }
    if (!articles.includes(KEY.article)) problems.push(`the seed article ${KEY.article} is missing`);
    return problems.length ? problems : sizes.join('\n');
  });

  // Layout at phone widths: no horizontal scrolling on any page, and big enough tap targets.
  for (const width of [320, 390]) {
    await check(`responsive: no horizontal scrolling at ${width}px on all ${pages.length + 1} pages`, async () => {
      await page.setViewportSize({ width, height: 800 });
      const problems = [];
      for (const path of [...pages, KEY.notFound]) {
        await page.goto(origin + path);
        const s = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth, bw: document.body.scrollWidth }));
        if (s.sw > s.cw || s.bw > s.cw) problems.push(`${path}: scrollWidth ${Math.max(s.sw, s.bw)} > clientWidth ${s.cw}`);
      }
      return problems;
    });
  }
  await check(`tap targets: every link, button, field and summary outside running text is at least ${MIN_TARGET}px (390px wide)`, async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    const problems = [];
    for (const [name, path] of Object.entries(KEY)) {
      await page.goto(origin + path);
      const small = await page.evaluate((min) => {
        const out = [];
        for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), summary, select, textarea')) {
          const r = el.getBoundingClientRect();
          if (r.width === 0 && r.height === 0) continue; // not rendered
          if (el.classList.contains('skip-link')) continue; // off screen until focused; checked in the keyboard test
          // WCAG 2.5.8 exempts links inside a sentence: an inline link whose block holds more text than the link.
          const cs = getComputedStyle(el);
          const block = el.closest('p, li, td, dd, figcaption, blockquote');
          if (cs.display === 'inline' && block && block.textContent.trim().length > el.textContent.trim().length) continue;
          if (r.width < min || r.height < min) out.push(`${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 30)}" ${Math.round(r.width)}x${Math.round(r.height)}`);
        }
        return out;
      }, MIN_TARGET);
      problems.push(...small.map((s) => `${name}: ${s}`));
    }
    return problems;
  });

  await check('print: the stylesheet hides navigation and the signup form, keeps the article', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(origin + KEY.article);
    await page.emulateMedia({ media: 'print' });
    const problems = [];
    for (const sel of ['.site-nav', '.newsletter', '.signup', '.go-top']) {
      if (await page.locator(sel).first().isVisible()) problems.push(`${sel} is visible in print`);
    }
    for (const sel of ['h1', '.body', '.source-note']) {
      if (!(await page.locator(sel).first().isVisible())) problems.push(`${sel} is hidden in print`);
    }
    await page.emulateMedia({ media: 'screen' });
    return problems;
  });

  await check('screenshots: home and article at 390px and 1280px (light), and both at 390px in dark mode', async () => {
    const shots = [];
    for (const [name, path] of [['home', KEY.home], ['article', KEY.article], ['category', KEY.category], ['404', KEY.notFound]]) {
      for (const width of [390, 1280]) {
        if ((name === 'category' || name === '404') && width === 390) continue;
        await page.setViewportSize({ width, height: 900 });
        await page.goto(origin + path);
        const file = join(ARTIFACTS, `${name}-${width}.png`);
        await page.screenshot({ path: file, fullPage: true });
        shots.push(relative(here, file));
      }
    }
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.setViewportSize({ width: 390, height: 900 });
    for (const [name, path] of [['home', KEY.home], ['article', KEY.article]]) {
      await page.goto(origin + path);
      const file = join(ARTIFACTS, `${name}-390-dark.png`);
      await page.screenshot({ path: file, fullPage: true });
      shots.push(relative(here, file));
    }
    await page.emulateMedia({ colorScheme: 'light' });
    return `written: ${shots.join(', ')}`;
  });
  await ctx.close();
}

/** Lighthouse (mobile, simulated throttling) on the home page and the seed article. */
async function lighthouseChecks(origin) {
  const { default: lighthouse } = await import('lighthouse');
  const chromeLauncher = await import('chrome-launcher');
  const chrome = await chromeLauncher.launch({ chromePath: CHROME, chromeFlags: CHROME_FLAGS });
  cleanups.unshift(() => chrome.kill());
  try {
    for (const [name, path] of [['home', KEY.home], ['article', KEY.article]]) {
      await check(`lighthouse: ${name} scores 100 accessibility, best practices, SEO and >= 98 performance`, async () => {
        const r = await lighthouse(origin + path, { port: chrome.port, output: 'json', logLevel: 'error',
          onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'] });
        if (r.lhr.runtimeError) return [`runtime error: ${r.lhr.runtimeError.code} ${r.lhr.runtimeError.message}`];
        writeFileSync(join(ARTIFACTS, `lighthouse-${name}.json`), r.report);
        const c = r.lhr.categories;
        const score = (k) => Math.round((c[k]?.score ?? 0) * 100);
        const summary = `performance ${score('performance')}, accessibility ${score('accessibility')}, best practices ${score('best-practices')}, SEO ${score('seo')}`;
        const problems = [];
        for (const k of ['accessibility', 'best-practices', 'seo']) if (score(k) < 100) problems.push(`${k} ${score(k)}`);
        if (score('performance') < 98) problems.push(`performance ${score('performance')}`);
        if (problems.length) {
          // Name the audits that cost points.
          for (const [key, cat] of Object.entries(c)) {
            for (const ref of cat.auditRefs) {
              const a = r.lhr.audits[ref.id];
              if (ref.weight > 0 && a.score !== null && a.score < 1) problems.push(`  ${key}: ${a.id} (${a.score}) ${a.displayValue ?? ''}`);
            }
          }
          return [summary, ...problems];
        }
        return summary;
      });
    }
  } finally {
    await chrome.kill();
  }
}

let exitCode = 0;
try {
  await main();
} catch (e) {
  record('suite setup', false, e?.stack ?? String(e));
} finally {
  for (const c of cleanups) {
    try { await c(); } catch { /* already stopped */ }
  }
  const passed = results.filter((r) => r.ok).length;
  const failedCount = results.length - passed;
  console.log('');
  for (const r of results.filter((x) => !x.ok)) console.log(`failed: ${r.name}`);
  console.log(`${passed} passed, ${failedCount} failed`);
  exitCode = failed ? 1 : 0;
}
process.exit(exitCode);
