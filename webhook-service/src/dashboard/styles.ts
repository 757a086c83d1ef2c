/** The dashboard's only stylesheet, served from /assets/dashboard.css (the CSP allows no inline style). */
export const DASHBOARD_CSS = `
:root { color-scheme: light; --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --bg: #ffffff; --accent: #0b57d0;
  --ok: #116329; --warn: #7d4e00; --bad: #a40e26; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--accent); }
a:focus, button:focus, input:focus, select:focus { outline: 3px solid #80a8f0; outline-offset: 1px; }
header { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: center; padding: .75rem 1rem; border-bottom: 1px solid var(--line); }
header .brand { font-weight: 700; color: var(--fg); text-decoration: none; }
header nav ul { display: flex; gap: 1rem; list-style: none; margin: 0; padding: 0; }
header form { margin-left: auto; }
main { padding: 1rem; max-width: 80rem; margin: 0 auto; }
h1 { font-size: 1.5rem; margin: .25rem 0 1rem; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
.filters { display: flex; flex-wrap: wrap; gap: .75rem; align-items: flex-end; margin-bottom: 1rem; }
.filters label { display: flex; flex-direction: column; font-size: .875rem; color: var(--muted); }
input, select, button { font: inherit; padding: .35rem .5rem; border: 1px solid #8c959f; border-radius: 4px; background: #fff; color: var(--fg); }
button { background: var(--accent); color: #fff; border-color: var(--accent); cursor: pointer; }
button.link { background: none; color: var(--accent); border: none; text-decoration: underline; padding: 0; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .45rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: .875rem; color: var(--muted); }
.state { font-weight: 600; }
.state-approved { color: var(--ok); } .state-pending { color: var(--warn); } .state-blocked { color: var(--bad); }
.sev-critical, .sev-high { color: var(--bad); font-weight: 600; } .sev-medium { color: var(--warn); }
.muted { color: var(--muted); }
.pager { display: flex; gap: 1rem; margin-top: 1rem; }
.timeline { list-style: none; padding: 0; margin: 0; border-left: 3px solid var(--line); }
.timeline li { margin: 0 0 .75rem; padding-left: .75rem; }
.timeline .step { display: inline-block; min-width: 6.5rem; font-weight: 600; }
.verified { color: var(--ok); font-weight: 600; } .broken { color: var(--bad); font-weight: 600; }
code { font-size: .875em; word-break: break-all; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; margin-bottom: 1rem; }
@media (max-width: 45rem) {
  table.changes thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.changes tr { display: block; border: 1px solid var(--line); border-radius: 6px; margin-bottom: .75rem; padding: .25rem .5rem; }
  table.changes td { display: block; border: none; padding: .15rem 0; }
  table.changes td::before { content: attr(data-label) ": "; color: var(--muted); font-size: .875rem; }
}
`;
