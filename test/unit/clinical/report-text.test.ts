/** Reading an imaging report's free-text conclusion (reference section 5). */
import { describe, expect, it } from 'vitest';
import { readConclusion } from '../../../src/clinical/report-text';

describe('readConclusion', () => {
  it.each([
    ['bilateral medullary nephrocalcinosis; 9 mm calculus, mild hydronephrosis', 'finding'],
    ['Clusters of small calculi in the medullary pyramids of both kidneys. No obstruction.', 'finding'],
    ['Increased echogenicity of the medullary pyramids bilaterally in keeping with nephrocalcinosis. No hydronephrosis.', 'finding'],
    ['Echogenic medullary pyramids.', 'finding'],
    ['No nephrocalcinosis. Small calculus in the left lower pole.', 'finding'],
    ['Calculus without hydronephrosis', 'finding'],
    ['No hydronephrosis but a 5 mm stone in the right kidney', 'finding'],
    ['Non-obstructing calculus in the left kidney', 'finding'],
    ['Impression: nephrolithiasis', 'finding'],
  ])('%j → a finding', (text, want) => {
    expect(readConclusion(text)).toBe(want);
  });

  it.each([
    ['Normal kidneys: no calcification, no calculi, no hydronephrosis.'],
    ['Normal appearances of both kidneys. No calcification or calculi.'],
    ['No calculi, hydronephrosis or nephrocalcinosis'],
    ['The previously seen calculus has resolved.'],
    ['Nephrocalcinosis excluded.'],
    ['Calculi not seen.'],
  ])('%j → negated mentions only: no finding', (text) => {
    expect(readConclusion(text)).toBe('negated');
  });

  it.each([['Possible early nephrocalcinosis.'], ['?calculus left lower pole'], ['Cannot exclude a small calculus.'], ['Echogenic pyramids, may represent nephrocalcinosis'], ['Nephrocalcinosis unlikely.'], ['Differential includes medullary nephrocalcinosis.']])(
    '%j → uncertain: never a finding by guesswork',
    (text) => {
      expect(readConclusion(text)).toBe('uncertain');
    },
  );

  it.each([['Normal kidneys, normal size.'], ['Gallbladder stones; kidneys normal.'], ['Aortic calcification. Kidneys unremarkable.'], ['']])('%j → no finding word', (text) => {
    expect(readConclusion(text)).toBe('none');
  });
});
