/**
 * The sandbox's HTML pages: the home page (patients + launch form with fault options), the standalone
 * launch patient picker, and error pages. Server-rendered strings; every piece of data (patient names
 * and descriptions come from FHIR files) goes through `esc()`. No script on any page: the pages are
 * served with a CSP that forbids scripts.
 */
import type { SandboxPatient } from './data';
import { FAULT_KINDS } from './faults';

export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'";

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESC[c] ?? c);
}

const FAULT_TYPES = [
  'Observation',
  'Condition',
  'MedicationRequest',
  'MedicationStatement',
  'DiagnosticReport',
  'ImagingStudy',
  'Procedure',
  'ServiceRequest',
  'Patient',
];

const STYLE = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1b1f24;background:#f6f7f9}
header{background:#123c63;color:#fff;padding:12px 20px}header h1{margin:0;font-size:20px}
main{max-width:1100px;margin:0 auto;padding:16px 20px}
table{border-collapse:collapse;width:100%;background:#fff}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #d8dde3;vertical-align:top}
th{background:#eef1f4}button{font:inherit;padding:4px 14px;border:1px solid #123c63;background:#1a5a96;color:#fff;border-radius:4px;cursor:pointer}
button:focus-visible,select:focus-visible,input:focus-visible{outline:3px solid #f0a500;outline-offset:2px}
fieldset{background:#fff;border:1px solid #c9d0d8;margin:0 0 14px;padding:10px 14px}legend{font-weight:600}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:6px 16px}
label{display:block}code{background:#eef1f4;padding:0 3px;overflow-wrap:anywhere}.muted{color:#4d5763}
select,input{max-width:100%;font:inherit}
.actions{display:flex;flex-wrap:wrap;gap:6px}.actions button{white-space:nowrap}
.secondary{background:#fff;color:#123c63}
tr.cds td{border-bottom:2px solid #c9d0d8;padding-top:0}
.cds-card{border:1px solid #c9d0d8;border-left:6px solid #1a5a96;background:#fbfcfd;padding:6px 10px;margin:2px 0 6px}
.cds-warning{border-left-color:#b26a00}.cds-critical{border-left-color:#b00020}
.cds-card p{margin:4px 0}.cds-summary{font-weight:600}.cds-indicator{display:inline-block;font-size:13px;border:1px solid currentColor;border-radius:3px;padding:0 4px;margin-right:4px}
.cds-detail ul{margin:2px 0 6px;padding-left:20px}.cds-error{color:#b00020}
main,td,p,li{overflow-wrap:anywhere}
@media (max-width:640px){
 main{padding:12px}
 table,thead,tbody,tr,th,td,caption{display:block}
 thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
 tr{border-bottom:1px solid #d8dde3}td{border:0;padding:3px 8px}
 td[data-label]::before{content:attr(data-label) ": ";font-weight:600}
}
`;

/** Age as a clinician writes it: weeks under 3 months, months under 2 years, else years. */
export function ageLabel(p: SandboxPatient, today = new Date()): string {
  if (p.age === undefined || !p.birthDate) return '?';
  if (p.age >= 2) return String(p.age);
  const born = Date.parse(p.birthDate.slice(0, 10));
  if (Number.isNaN(born)) return String(p.age);
  const days = Math.floor((today.getTime() - born) / 86_400_000);
  if (days < 91) return `${Math.max(0, Math.floor(days / 7))} wk`;
  const b = new Date(born);
  const months =
    (today.getUTCFullYear() - b.getUTCFullYear()) * 12 + (today.getUTCMonth() - b.getUTCMonth()) - (today.getUTCDate() < b.getUTCDate() ? 1 : 0);
  return `${months} mo`;
}

export function layout(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head><body><header><h1>${esc(title)}</h1></header><main>${body}</main></body></html>`;
}

/**
 * The home page. `cds` holds, per patient id, the HTML of what the CDS service answered for that
 * patient (src/sandbox/cds-pages.ts): shown in a row under the patient.
 */
export function homePage(patients: readonly SandboxPatient[], origin: string, cds: ReadonlyMap<string, string> = new Map()): string {
  const rows = patients
    .map(
      (p) => `<tr><td data-label="Name">${esc(p.name)}</td><td data-label="Age">${esc(ageLabel(p))}</td><td data-label="Sex">${esc(p.gender ?? '?')}</td>
<td>${esc(p.description)}<div class="muted">${esc(p.source)} · id <code>${esc(p.id)}</code></div></td>
<td><div class="actions"><button type="submit" name="patient" value="${esc(p.id)}" aria-label="Launch ${esc(p.name)}">Launch</button>
<button type="submit" class="secondary" formaction="/sandbox/cds/orders" name="patient" value="${esc(p.id)}" aria-label="Run order-select for ${esc(p.name)}">Order-select</button></div></td></tr>
<tr class="cds"><td colspan="5">${cds.get(p.id) ?? ''}</td></tr>`,
    )
    .join('\n');
  const faultSelects = FAULT_TYPES.map(
    (t) => `<label>${esc(t)} <select name="fault" aria-label="Fault for ${esc(t)}"><option value="">normal</option>${FAULT_KINDS.map(
      (k) => `<option value="${esc(`${t}:${k}`)}">${esc(k === 'loop' ? 'next link loops' : k === 'malformed' ? 'malformed JSON' : `HTTP ${k}`)}</option>`,
    ).join('')}</select></label>`,
  ).join('\n');
  const typeOptions = FAULT_TYPES.map((t) => `<option>${esc(t)}</option>`).join('');
  const body = `
<p>This local EHR plays the chart for the app: pick a patient and press <strong>Launch</strong> to start a real SMART EHR
launch (authorization with PKCE, token, FHIR API at <code>${esc(origin)}/fhir</code>). The options below apply to that launch only.</p>
<p>The sandbox is also a CDS Hooks client: under each patient is the card the CDS service (<code>${esc(origin)}/cds-services</code>)
answered for <code>patient-view</code>, called as an EHR calls it (signed JWT, prefetch); its link performs an EHR launch of the app.
<strong>Order-select</strong> calls <code>order-select</code> with an empty draft and lists the suggested orders.</p>
<form method="get" action="/sandbox/launch">
<fieldset><legend>Faults for this launch (per resource type)</legend><div class="grid">${faultSelects}</div></fieldset>
<fieldset><legend>Timing and session</legend><div class="grid">
<label>Slow type <select name="slow_type"><option value="">none</option>${typeOptions}</select></label>
<label>Slow by (ms) <input name="slow_ms" type="number" min="0" max="120000" step="100" value="3000"></label>
<label>Latency on every request (ms) <input name="latency" type="number" min="0" max="120000" step="10" placeholder="0"></label>
<label>Access token expires after (s) <input name="expires" type="number" min="1" placeholder="3600"></label>
<label>Patient banner <select name="need_patient_banner"><option value="true">needed (need_patient_banner=true)</option><option value="false">not needed (embedded in chart)</option></select></label>
<label>Observation rule <select name="observation_rule"><option value="epic">like Epic: code or category required</option><option value="off">off</option></select></label>
<label>Refresh token <select name="refresh"><option value="true">issued when asked</option><option value="false">never (session expiry test)</option></select></label>
</div></fieldset>
<table><caption class="muted" style="text-align:left;padding:4px 0">${esc(patients.length)} sandbox patients</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Age</th><th scope="col">Sex</th><th scope="col">What it shows</th><th scope="col"><span class="muted">Actions</span></th></tr></thead>
<tbody>${rows}</tbody></table>
</form>
<h2>Launch by URL</h2>
<p><code>/sandbox/launch?patient=&lt;id&gt;</code> with any of: <code>fault=&lt;Type&gt;:&lt;403|500|401|404|malformed|loop&gt;</code> (repeatable),
<code>slow=&lt;Type&gt;:&lt;ms&gt;</code> (repeatable), <code>latency=&lt;ms&gt;</code>, <code>expires=&lt;s&gt;</code>,
<code>need_patient_banner=true|false</code>, <code>observation_rule=epic|off</code>, <code>refresh=true|false</code>.
Server-wide latency: environment variable <code>SANDBOX_LATENCY_MS</code>. Standalone launch (the app asks for
<code>launch/patient</code> and this sandbox shows a patient picker):
<a href="/launch/?iss=${esc(encodeURIComponent(`${origin}/fhir`))}">/launch/?iss=${esc(origin)}/fhir</a>. Details: <code>docs/sandbox.md</code>.</p>
<h2>The real SMART App Launcher</h2>
<p>To test against <a href="https://launch.smarthealthit.org/">launch.smarthealthit.org</a> instead of this sandbox, keep
<code>npm start</code> running, choose "Provider EHR Launch", a patient, and set the App's Launch URL to
<code>http://localhost:5173/launch/</code>. The launcher then plays the EHR (its own FHIR server and authorization server);
your browser loads the app from this machine. Client id and scopes come from the app's configuration (see README).</p>`;
  return layout('Local SMART sandbox', body);
}

export function patientPickerPage(patients: readonly SandboxPatient[], query: URLSearchParams): string {
  const hidden = [...query]
    .filter(([k]) => k !== 'patient')
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join('');
  const rows = patients
    .map(
      (p) =>
        `<tr><td>${esc(p.name)}</td><td>${esc(ageLabel(p))}</td><td>${esc(p.gender ?? '?')}</td><td><button type="submit" name="patient" value="${esc(p.id)}">Select</button></td></tr>`,
    )
    .join('\n');
  return layout(
    'Select a patient',
    `<p>Standalone launch: choose the patient whose record the app may read.</p>
<form method="get" action="/sandbox/auth/authorize">${hidden}<table><thead><tr><th scope="col">Name</th><th scope="col">Age</th><th scope="col">Sex</th><th scope="col"><span class="muted">Select</span></th></tr></thead><tbody>${rows}</tbody></table></form>`,
  );
}

export function errorPage(title: string, message: string): string {
  return layout(title, `<p role="alert">${esc(message)}</p><p><a href="/sandbox/">Back to the sandbox</a></p>`);
}
