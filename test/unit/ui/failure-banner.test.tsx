// @vitest-environment jsdom
/** The failure banner names the rows a failure affects, as the evaluation says (its words match the rows). */
import { cleanup, render } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/clinical/index';
import { FailureBanner } from '../../../src/ui/components/FailureBanner';

const patient = { resourceType: 'Patient' as const, id: 'p1', birthDate: '1970-01-01', gender: 'female' as const };
const noop = () => undefined;

afterEach(cleanup);

describe('FailureBanner', () => {
  it('Conditions refused: names the items whose applicability could not be checked, which read "Could not check"', () => {
    const ev = evaluate({ patient, resources: [], now: '2026-06-01', failures: [{ resourceType: 'Condition', kind: 'forbidden', httpStatus: 403, message: 'scope not granted' }] });
    const { container } = render(<FailureBanner failures={ev.failures!} items={ev.items} retrying={false} onRetry={noop} />);
    const text = container.textContent ?? '';
    expect(text).toContain('Conditions (HTTP 403, access refused).');
    const named = ev.items.filter((i) => ev.failures![0]!.affects!.includes(i.id)).map((i) => i.label);
    expect(named).toEqual(expect.arrayContaining(['Magnesium', 'CT abdomen / kidneys', 'Abdominal X-ray / KUB']));
    expect(text).toContain(`Could not check: ${named.join(', ')}.`);
    for (const id of ev.failures![0]!.affects!) expect(ev.items.find((i) => i.id === id)!.status).toBe('unknown');
  });

  it('a failure no row depends on says so, rather than promising rows that do not exist', () => {
    const ev = evaluate({
      patient,
      resources: [],
      now: '2026-06-01',
      failures: [{ resourceType: 'ImagingStudy', kind: 'failed', httpStatus: 500, message: 'x' }],
    });
    // a renal ultrasound can live in an ImagingStudy: it is affected; a failure of a type nothing reads is not
    const unread = { ...ev.failures![0]!, affects: [] };
    const { container } = render(<FailureBanner failures={[unread]} items={ev.items} retrying={false} onRetry={noop} />);
    expect(container.textContent).toContain('No item of the panel depends on it alone.');
  });
});

describe('the summary line', () => {
  it('says how many outdated results were abnormal when last done', async () => {
    const { summaryText } = await import('../../../src/ui/components/Summary');
    const s = { missing: 2, outdated: 3, pending: 0, abnormal: 1, unknown: 0, normal: 4, total: 10, outdatedAbnormal: 2 };
    expect(summaryText(s)).toBe('2 of 10 recommended investigations missing, 1 abnormal, 3 outdated (2 abnormal when last done)');
    expect(summaryText({ ...s, outdatedAbnormal: 0 })).toBe('2 of 10 recommended investigations missing, 1 abnormal, 3 outdated');
  });
});
