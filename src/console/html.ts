/** Server-rendered HTML without a template engine: every value goes through `esc`. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** A trusted piece of HTML (built by these helpers), as opposed to text to escape. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Tagged template: interpolated values are escaped unless they are Html (or arrays of Html). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

function render(v: unknown): string {
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  if (v === undefined || v === null || v === false) return '';
  return esc(v);
}

export function table(headers: string[], rows: unknown[][], attrs = ''): Html {
  return html`<table ${new Html(attrs)}><thead><tr>${headers.map((h) => html`<th>${h}</th>`)}</tr></thead><tbody>${rows.map((r) => html`<tr>${r.map((c) => html`<td>${c}</td>`)}</tr>`)}</tbody></table>`;
}

export const CSS = `
body{font-family:system-ui,"Noto Sans CJK SC","PingFang SC",sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
header{background:#24292f;color:#fff;padding:.6rem 1rem;display:flex;gap:1rem;align-items:center;flex-wrap:wrap}
header a{color:#fff;text-decoration:none}header a.on{text-decoration:underline}header form{margin-left:auto}
main{max-width:1100px;margin:1rem auto;padding:0 1rem}
section{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:1rem;margin-bottom:1rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border-bottom:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
.num{text-align:right}.muted{color:#57606a}.error{color:#cf222e}.ok{color:#1a7f37}
form.inline{display:inline}input,select,button,textarea{font:inherit;padding:.25rem .4rem}
pre{white-space:pre-wrap;background:#f6f8fa;padding:.5rem;border-radius:4px}
.cards{display:flex;gap:1rem;flex-wrap:wrap}.card{flex:1;min-width:8rem;background:#f6f8fa;border-radius:6px;padding:.6rem}
.card b{display:block;font-size:1.5rem}
`;
