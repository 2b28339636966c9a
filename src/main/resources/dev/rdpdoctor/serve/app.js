// rdpdoctor helpdesk page. Plain JavaScript, no build step, no third-party code.
// Everything from the server is put into the page with textContent, never as HTML.
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);
  let info = { client_profiles: [], allow_logon_test: false, max_upload_bytes: 0 };
  let last = null;       // the last result event
  let lastForm = null;   // the form values it ran with

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  function bytes(n) {
    return n >= 1048576 ? (n / 1048576).toFixed(0) + ' MB' : (n / 1024).toFixed(0) + ' KB';
  }

  async function errorOf(res) {
    try {
      const j = await res.json();
      if (j && j.error) return j.error;
    } catch (e) { /* not JSON */ }
    return 'the server answered ' + res.status;
  }

  // ---------------------------------------------------------------- start-up

  async function start() {
    const res = await fetch('/api/info', { credentials: 'same-origin' });
    if (res.status === 401) {
      $('login').hidden = false;
      $('check').hidden = true;
      $('token').focus();
      return;
    }
    info = await res.json();
    const sel = $('client');
    for (const p of info.client_profiles) {
      const o = el('option', null, p.name + ' — ' + p.description);
      o.value = p.name;
      sel.appendChild(o);
    }
    $('logon').hidden = !info.allow_logon_test;
    $('file-help').textContent = '.rdp files up to ' + bytes(info.max_rdp_file_bytes)
      + ', event logs up to ' + bytes(info.max_upload_bytes) + '. Read here, not kept.';
    $('host').focus();
  }

  // ---------------------------------------------------------------- diagnose

  function formValues() {
    const v = {};
    for (const k of ['host', 'gateway', 'client', 'code', 'extended', 'user', 'password']) {
      const x = $(k).value.trim();
      if (x) v[k] = k === 'password' ? $(k).value : x;
    }
    return v;
  }

  async function diagnose(values) {
    $('form-error').textContent = '';
    if (!values.host) {
      $('form-error').textContent = 'Type the computer name or address first.';
      $('host').focus();
      return;
    }
    lastForm = Object.assign({}, values);
    delete lastForm.password; // never kept past the request
    $('password').value = '';
    $('run').disabled = true;
    $('rerun').disabled = true;
    $('result').hidden = true;
    $('progress').hidden = false;
    $('steps').replaceChildren();
    $('progress-state').textContent = '— running against ' + values.host + ' …';
    try {
      const res = await fetch('/api/diagnose', {
        method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(values)
      });
      if (!res.ok || !res.body) {
        throw new Error(await errorOf(res));
      }
      await readEvents(res.body);
    } catch (e) {
      $('form-error').textContent = 'Not checked: ' + e.message;
      $('progress-state').textContent = '— stopped';
    } finally {
      $('run').disabled = false;
      $('rerun').disabled = false;
    }
  }

  // Server-sent events over a POST response: "event: X\ndata: JSON\n\n" blocks.
  async function readEvents(body) {
    const reader = body.getReader();
    const dec = new TextDecoder();
    let buf = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += dec.decode(value, { stream: true });
      let cut;
      while ((cut = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, cut);
        buf = buf.slice(cut + 2);
        let event = 'message', data = '';
        for (const line of block.split('\n')) {
          if (line.startsWith('event: ')) event = line.slice(7);
          else if (line.startsWith('data: ')) data += line.slice(6);
        }
        handle(event, data ? JSON.parse(data) : {});
      }
    }
  }

  function handle(event, d) {
    if (event === 'step') {
      const li = el('li', d.failed ? 'bad' : 'ok');
      li.appendChild(el('span', 'mark', d.failed ? '✗' : '✓'));
      li.appendChild(el('span', null, d.probe + ' ' + d.subject + ': ' + d.outcome));
      li.appendChild(el('span', 'ms', d.millis + ' ms'));
      $('steps').appendChild(li);
    } else if (event === 'refused') {
      $('form-error').textContent = 'Not checked: ' + d.error;
    } else if (event === 'result') {
      $('progress-state').textContent = '— done';
      show(d);
    }
  }

  const SEVERITY_WORDS = { ok: 'ok', info: 'note', warn: 'warning', fail: 'problem' };

  function show(d) {
    last = d;
    const lines = d.text.split('\n');
    const v = d.verdict;
    $('verdict').className = 'verdict v-' + v;
    $('verdict-h').textContent = lines[0];
    $('verdict-summary').textContent = (lines[1] || '').trim();
    // the report's closing line: how long, and as which client
    $('verdict-meta').textContent = lines.filter((l) => l.trim()).slice(-1)[0].trim();
    $('report-text').textContent = d.text;
    $('download').hidden = !d.fix_scripts;
    $('copy-state').textContent = '';
    showExplanation($('explained'), d.explanation);
    const box = $('findings');
    box.replaceChildren();
    for (const f of d.report.findings) {
      box.appendChild(finding(f));
    }
    $('result').hidden = false;
    $('result').focus();
  }

  function finding(f) {
    const div = el('article', 'finding');
    const h = el('h4');
    h.appendChild(el('span', 'badge b-' + f.severity, SEVERITY_WORDS[f.severity] || f.severity));
    h.appendChild(document.createTextNode(f.title));
    div.appendChild(h);
    div.appendChild(el('div', 'cause', f.cause + ' · ' + f.confidence + ' confidence'));
    div.appendChild(el('p', null, f.summary));
    if (f.symptom && (f.severity === 'fail' || f.severity === 'warn')) {
      div.appendChild(el('p', 'muted', 'What the user sees: ' + f.symptom));
    }
    if (f.evidence && f.evidence.length) {
      div.appendChild(el('strong', null, 'Evidence'));
      const ul = el('ul');
      for (const r of f.evidence) ul.appendChild(el('li', null, r.probe + ': ' + r.fact));
      div.appendChild(ul);
    }
    if (f.severity !== 'ok') {
      for (const x of f.fixes || []) div.appendChild(fix(x));
    }
    return div;
  }

  function fix(x) {
    const d = el('div', 'fix');
    d.appendChild(el('strong', null, 'Fix on the ' + x.where + ': ' + x.title));
    const ol = el('ol');
    for (const s of x.steps || []) {
      const li = el('li');
      li.appendChild(el('span', 'kind', s.kind));
      li.appendChild(s.kind === 'gui' || s.kind === 'note' ? el('span', null, s.text)
        : el('code', null, s.text));
      ol.appendChild(li);
    }
    d.appendChild(ol);
    if (x.risk && x.risk !== 'none') d.appendChild(el('p', 'muted', 'Risk: ' + x.risk));
    for (const u of x.undo || []) d.appendChild(el('p', 'muted', 'Undo: ' + u.text));
    return d;
  }

  function download() {
    if (!last || !last.fix_scripts) return;
    const bin = atob(last.fix_scripts.base64);
    const arr = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) arr[i] = bin.charCodeAt(i);
    const url = URL.createObjectURL(new Blob([arr], { type: 'application/zip' }));
    const a = el('a');
    a.href = url;
    a.download = last.fix_scripts.name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  function summary() {
    const r = last.report;
    const out = [];
    out.push('Remote Desktop check of ' + last.target + ' (rdpdoctor)');
    out.push('Verdict: ' + last.text.split('\n')[0]);
    if (lastForm && lastForm.gateway) out.push('Through RD Gateway: ' + lastForm.gateway);
    if (lastForm && lastForm.code) out.push('User sees code: ' + lastForm.code
      + (lastForm.extended ? ' / ' + lastForm.extended : ''));
    out.push('');
    r.findings.forEach((f, i) => {
      out.push((i + 1) + '. [' + f.severity + '] ' + f.title + ' (' + f.cause + ')');
      out.push('   ' + f.summary);
      for (const e of (f.evidence || []).slice(0, 3)) out.push('   - ' + e.probe + ': ' + e.fact);
      if (f.severity === 'fail' || f.severity === 'warn') {
        for (const x of f.fixes || []) out.push('   Fix (' + x.where + '): ' + x.title);
      }
    });
    return out.join('\n');
  }

  async function copy() {
    const text = summary();
    try {
      await navigator.clipboard.writeText(text);
      $('copy-state').textContent = 'Summary copied.';
    } catch (e) {
      // no clipboard permission (plain http): show it selected for Ctrl+C instead
      const ta = el('textarea');
      ta.value = text;
      ta.rows = 10;
      ta.style.width = '100%';
      ta.setAttribute('aria-label', 'Summary for the ticket');
      $('copy-state').replaceChildren(ta);
      ta.select();
    }
  }

  // ---------------------------------------------------------------- explain

  function showExplanation(box, x) {
    box.replaceChildren();
    box.hidden = !x;
    if (!x) return;
    box.appendChild(el('h3', null, 'The error code'));
    box.appendChild(el('p', null, x.summary));
    for (const c of x.codes || []) {
      if (c.error) {
        box.appendChild(el('p', 'error', c.input + ': ' + c.error));
        continue;
      }
      const dl = el('div', 'fix');
      dl.appendChild(el('strong', null, c.input + ' = ' + c.hex + ' (' + c.value + ')'));
      const ul = el('ul');
      for (const i of c.interpretations || []) {
        ul.appendChild(el('li', null, i.symbol + ' — ' + i.description + ' [' + i.table_title + ']'));
      }
      if (!(c.interpretations || []).length) ul.appendChild(el('li', null, 'not a code rdpdoctor knows'));
      dl.appendChild(ul);
      box.appendChild(dl);
    }
    if ((x.probable_causes || []).length) {
      box.appendChild(el('strong', null, 'Probable causes (most likely first)'));
      const ol = el('ol');
      for (const p of x.probable_causes) ol.appendChild(el('li', null, p));
      box.appendChild(ol);
    }
  }

  async function explain(ev) {
    ev.preventDefault();
    const code = $('explain-code').value.trim();
    const ext = $('explain-ext').value.trim();
    const out = $('explain-out');
    if (!code) { $('explain-code').focus(); return; }
    const q = new URLSearchParams({ code });
    if (ext) q.set('extended', ext);
    const res = await fetch('/api/explain?' + q, { credentials: 'same-origin' });
    if (!res.ok) {
      out.replaceChildren(el('p', 'error', await errorOf(res)));
      return;
    }
    showExplanation(out, await res.json());
    out.hidden = false;
  }

  // ---------------------------------------------------------------- files

  async function checkFile(ev) {
    ev.preventDefault();
    const f = $('file').files[0];
    const out = $('file-out');
    out.replaceChildren();
    if (!f) { $('file').focus(); return; }
    const rdp = /\.rdp$/i.test(f.name);
    const cap = rdp ? info.max_rdp_file_bytes : info.max_upload_bytes;
    if (cap && f.size > cap) {
      out.appendChild(el('p', 'error', f.name + ' is ' + bytes(f.size) + '; the limit is '
        + bytes(cap) + '.'));
      return;
    }
    out.appendChild(el('p', 'muted', 'Reading ' + f.name + ' …'));
    const res = await fetch((rdp ? '/api/rdpfile' : '/api/logs') + '?name='
      + encodeURIComponent(f.name), {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/octet-stream' }, body: f
    });
    out.replaceChildren();
    if (!res.ok) {
      out.appendChild(el('p', 'error', f.name + ': ' + await errorOf(res)));
      return;
    }
    const d = await res.json();
    if (rdp) showRdp(out, d.file); else showLog(out, d);
  }

  function showRdp(out, ev) {
    out.appendChild(el('h3', null, ev.path));
    out.appendChild(el('p', null, 'Connects to ' + (ev.host ? ev.host + ':' + ev.port : '(no address)')
      + (ev.gateway && ev.gateway.hostname ? ' through the gateway ' + ev.gateway.hostname
        + (ev.gateway.used ? '' : ' (not used)') : '') + '; ' + ev.settings + ' settings, '
      + ev.encoding + '.'));
    const issues = ev.issues || [];
    if (!issues.length && !(ev.problems || []).length) {
      out.appendChild(el('p', 'badge b-ok', 'No problems found'));
    }
    for (const i of issues) {
      const sev = i.severity === 'error' ? 'fail' : i.severity === 'warning' ? 'warn' : 'info';
      const d = el('article', 'finding');
      const h = el('h4');
      h.appendChild(el('span', 'badge b-' + sev, i.severity));
      h.appendChild(document.createTextNode((i.line > 0 ? 'line ' + i.line + ': ' : '') + i.message));
      d.appendChild(h);
      d.appendChild(el('div', 'cause', i.rule));
      if (i.fix) d.appendChild(el('p', 'fix', 'Fix: ' + i.fix));
      out.appendChild(d);
    }
    for (const p of ev.problems || []) out.appendChild(el('p', 'muted', 'line ' + p));
  }

  function showLog(out, d) {
    const f = d.file;
    out.appendChild(el('h3', null, f.name));
    out.appendChild(el('p', null, f.format + ', ' + f.records + ' records, ' + f.rdp_events
      + ' about Remote Desktop.'));
    for (const x of d.findings) out.appendChild(finding(x));
    if (d.timeline.length) {
      const det = el('details');
      det.appendChild(el('summary', null, 'Timeline (' + d.timeline.length + ' newest events)'));
      const ul = el('ul');
      for (const t of d.timeline) {
        ul.appendChild(el('li', null, (t.time || '(no time)') + '  ' + (t.event_id || '') + '  '
          + t.meaning));
      }
      det.appendChild(ul);
      out.appendChild(det);
    }
    for (const e of f.errors) out.appendChild(el('p', 'muted', '! ' + e));
  }

  // ---------------------------------------------------------------- wiring

  document.addEventListener('DOMContentLoaded', () => {
    $('form').addEventListener('submit', (e) => { e.preventDefault(); diagnose(formValues()); });
    $('rerun').addEventListener('click', () => { if (lastForm) diagnose(Object.assign({}, lastForm)); });
    $('download').addEventListener('click', download);
    $('copy').addEventListener('click', copy);
    $('explain-form').addEventListener('submit', explain);
    $('file-form').addEventListener('submit', checkFile);
    start().catch((e) => { $('form-error').textContent = 'The server did not answer: ' + e.message; });
  });
})();
