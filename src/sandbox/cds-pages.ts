/**
 * HTML for what the sandbox, as a CDS client, received from the CDS service: a card on the home
 * page, the order-select suggestions page. Everything from the service goes through `esc()`; the
 * card's markdown is rendered by a small subset renderer (paragraphs, `**title**` lines, `- ` lists,
 * backslash escapes) on escaped text, so no markup the service or the record sends reaches the page.
 *
 * The card's `smart` link becomes a link to /sandbox/cds/launch, which starts a real EHR launch of
 * the link's URL (as an EHR does for a SMART link: a launch id for this patient, `iss` and `launch`
 * appended).
 */
import type { Card, Suggestion } from '../cds/types';
import type { CdsCallResult } from './cds-client';
import { esc } from './pages';

/** Inline text of the card markdown: escaped, backslash escapes resolved. */
function inline(text: string): string {
  return esc(text.replace(/\\([\\`*_[\]<>&|~#])/g, '$1'));
}

/** The subset of GitHub Flavored Markdown the service writes. */
export function renderMarkdown(md: string): string {
  const out: string[] = [];
  let list: string[] = [];
  const flush = () => {
    if (list.length) out.push(`<ul>${list.map((li) => `<li>${li}</li>`).join('')}</ul>`);
    list = [];
  };
  for (const line of md.split('\n')) {
    const t = line.trim();
    if (t.startsWith('- ')) {
      list.push(inline(t.slice(2)));
      continue;
    }
    flush();
    if (!t) continue;
    const title = /^\*\*(.+)\*\*$/.exec(t);
    out.push(title ? `<p class="md-title"><strong>${inline(title[1]!)}</strong></p>` : `<p>${inline(t)}</p>`);
  }
  flush();
  return out.join('');
}

const INDICATOR_WORD: Record<string, string> = { info: 'Info', warning: 'Warning', critical: 'Critical' };

function linkHref(patientId: string, url: string): string {
  return `/sandbox/cds/launch?${new URLSearchParams({ patient: patientId, url }).toString()}`;
}

export function cardHtml(card: Card, patientId: string, patientName: string): string {
  const indicator = INDICATOR_WORD[card.indicator] ?? 'Info';
  const links = (card.links ?? [])
    .map((l) => (l.type === 'smart' ? `<a class="cds-link" href="${esc(linkHref(patientId, l.url))}">${esc(l.label)}</a>` : `<span>${esc(l.label)}: ${esc(l.url)}</span>`))
    .join(' ');
  return `<section class="cds-card cds-${esc(card.indicator)}" aria-label="CDS card for ${esc(patientName)}" data-cds-card="${esc(patientId)}">
<p class="cds-summary"><span class="cds-indicator">${esc(indicator)}</span> ${esc(card.summary)}</p>
<p class="muted cds-source">Source: ${esc(card.source?.label)}</p>
${card.detail ? `<details><summary>Details</summary><div class="cds-detail">${renderMarkdown(card.detail)}</div></details>` : ''}
${links ? `<p>${links}</p>` : ''}
</section>`;
}

/** The home page's CDS cell of one patient: the cards, "no card", or what went wrong. */
export function cdsResultHtml(result: CdsCallResult | undefined, patientId: string, patientName: string): string {
  if (!result) return '<p class="muted">CDS service not called.</p>';
  if (!result.ok) return `<p class="cds-error" role="status">CDS service: ${esc(result.message)}</p>`;
  if (result.response.cards.length === 0) return '<p class="muted" data-cds-card="none">CDS: no card (the workup does not concern this patient).</p>';
  return result.response.cards.map((c) => cardHtml(c, patientId, patientName)).join('\n');
}

function suggestionHtml(s: Suggestion): string {
  const code = s.actions[0]?.resource.code?.coding?.[0];
  return `<li data-suggestion>${esc(s.label)}${code ? ` <span class="muted">(${esc(code.system)} ${esc(code.code)})</span>` : ''}</li>`;
}

/** The body of the order-select page. */
export function ordersBody(result: CdsCallResult, patientId: string, patientName: string): string {
  const intro = `<p>The sandbox called <code>order-select</code> for <strong>${esc(patientName)}</strong> with an empty draft (no order selected yet), as an EHR does when a clinician starts writing orders.</p>`;
  if (!result.ok) return `${intro}<p class="cds-error" role="status">CDS service: ${esc(result.message)}</p>`;
  const cards = result.response.cards;
  if (cards.length === 0) return `${intro}<p data-cds-card="none">No suggestion: the workup does not concern this patient, or nothing recommended is missing and unordered.</p>`;
  return (
    intro +
    cards
      .map(
        (c) => `${cardHtml(c, patientId, patientName)}
<h2>Suggestions (${esc(c.selectionBehavior ?? '')})</h2><ul class="cds-suggestions">${(c.suggestions ?? []).map(suggestionHtml).join('')}</ul>`,
      )
      .join('\n')
  );
}
