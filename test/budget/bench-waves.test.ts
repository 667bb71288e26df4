// The benchmark's request-wave arithmetic (bench/waves.ts): the figure is only as good as its definition.
import { describe, expect, it } from 'vitest';
import { countWaves, criticalChain, maxInFlight, median, waveDepths } from '../../bench/waves';

describe('request waves', () => {
  it('one parallel wave is 1, whatever the order and the durations', () => {
    const reqs = [
      { start: 0, end: 100 },
      { start: 1, end: 350 },
      { start: 2, end: 120 },
      { start: 99, end: 200 },
    ];
    expect(countWaves(reqs)).toBe(1);
    expect(waveDepths(reqs)).toEqual([1, 1, 1, 1]);
  });

  it('a second page issued after the first returned adds a wave; paging chains add one per page', () => {
    const reqs = [
      { start: 0, end: 100 }, // Observation page 1
      { start: 0, end: 90 }, // Condition
      { start: 105, end: 200 }, // Observation page 2
      { start: 205, end: 300 }, // Observation page 3
    ];
    expect(waveDepths(reqs)).toEqual([1, 1, 2, 3]);
    expect(countWaves(reqs)).toBe(3);
  });

  it('a request issued after two others returned is one wave after the deepest of them', () => {
    const reqs = [
      { start: 0, end: 10 },
      { start: 11, end: 20 },
      { start: 5, end: 30 },
      { start: 31, end: 40 },
    ];
    expect(waveDepths(reqs)).toEqual([1, 2, 1, 3]);
  });

  it('a request issued exactly when another ended counts as after it', () => {
    expect(countWaves([{ start: 0, end: 10 }, { start: 10, end: 20 }])).toBe(2);
    expect(countWaves([])).toBe(0);
  });

  it('the critical chain follows the dependent requests back to the first wave', () => {
    const reqs = [
      { start: 0, end: 100 }, // 0: page 1 (wave 1)
      { start: 0, end: 150 }, // 1: another search (wave 1)
      { start: 105, end: 200 }, // 2: page 2, after 0 (wave 2)
      { start: 160, end: 210 }, // 3: issued after 0 and 1 returned (wave 2)
      { start: 215, end: 300 }, // 4: page 3, after 2 and 3 (wave 3)
    ];
    const c = criticalChain(reqs);
    expect(c.chain).toEqual([1, 3, 4]);
    expect(c.spanMs).toBe(300);
    expect(criticalChain([])).toEqual({ chain: [], spanMs: 0 });
  });

  it('in-flight maximum and median', () => {
    expect(maxInFlight([{ start: 0, end: 10 }, { start: 5, end: 15 }, { start: 10, end: 20 }])).toBe(2);
    expect(maxInFlight([])).toBe(0);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});
