import { failOnLitWarnings } from '../../test/component/lit-warnings.ts';
import { expect, fixture, html } from '@open-wc/testing';
import type { ReferenceRange, SeriesPoint } from '../../src/chart/types.ts';
import '../index.ts';
import type { CurbsideSparklineElement } from './sparkline.ts';

failOnLitWarnings();

const EGFR_VALUES = [72, 70, 66, 61, 58, 55, 50, 44, 40, 35, 31, 27];
const EGFR_TIMES = [
  '2021-03-15',
  '2021-09-14',
  '2022-03-15',
  '2022-09-13',
  '2023-03-14',
  '2023-09-12',
  '2024-03-12',
  '2024-09-10',
  '2025-03-11',
  '2025-09-09',
  '2026-03-10',
  '2026-11-10T09:30:00Z',
];
const egfr: SeriesPoint[] = EGFR_VALUES.map((value, index) => ({ reference: `Observation/egfr-${index}`, time: EGFR_TIMES[index]!, value }));
const egfrRange: ReferenceRange = { low: 60, unit: 'mL/min/1.73m2' };

function series(values: readonly number[], start = Date.UTC(2020, 0, 15, 12), step = 3_600_000): SeriesPoint[] {
  return values.map((value, index) => ({ reference: `Observation/o${index}`, time: new Date(start + index * step).toISOString(), value }));
}

function part(el: CurbsideSparklineElement, name: string): SVGElement | null {
  return el.shadowRoot!.querySelector<SVGElement>(`[part~="${name}"]`);
}

function parts(el: CurbsideSparklineElement, name: string): SVGElement[] {
  return Array.from(el.shadowRoot!.querySelectorAll<SVGElement>(`[part~="${name}"]`));
}

function label(el: CurbsideSparklineElement): string {
  return part(el, 'base')!.getAttribute('aria-label') ?? '';
}

/** The polyline's vertices as numbers. */
function vertices(el: CurbsideSparklineElement): Array<[number, number]> {
  const points = part(el, 'line')?.getAttribute('points') ?? '';
  return points
    .split(' ')
    .filter(Boolean)
    .map((pair) => pair.split(',').map(Number) as [number, number]);
}

/** The centre of a dot drawn as `M x y h0`. */
function dotAt(path: SVGElement): [number, number] {
  const match = /^M([\d.]+) ([\d.]+)h0$/.exec(path.getAttribute('d') ?? '');
  expect(match, 'a dot path').to.not.equal(null);
  return [Number(match![1]), Number(match![2])];
}

describe('<curbside-sparkline>', () => {
  it('draws the line, shades the reference band, marks the latest value and says the trend in words', async () => {
    const el = await fixture<CurbsideSparklineElement>(
      html`<curbside-sparkline label="eGFR" unit="mL/min/1.73m2" .points=${egfr} .referenceRange=${egfrRange}></curbside-sparkline>`,
    );
    const svg = part(el, 'base')!;
    expect(svg.localName).to.equal('svg');
    expect(svg.getAttribute('role')).to.equal('img');
    expect(label(el)).to.equal('eGFR, 12 values from Mar 2021 to Nov 2026, from 72 to 27 mL/min/1.73m2, below the reference range');

    expect(vertices(el)).to.have.length(12);
    // A lower bound only: the band runs from 60 up to the top edge.
    const band = part(el, 'band')!;
    const bandTop = Number(band.getAttribute('y'));
    const bandBottom = bandTop + Number(band.getAttribute('height'));
    expect(bandTop).to.equal(0);
    expect(bandBottom).to.be.greaterThan(0).and.lessThan(100);

    const [latestX, latestY] = dotAt(part(el, 'latest')!);
    expect(latestX).to.equal(100);
    expect(latestY, 'the latest value sits below the band').to.be.greaterThan(bandBottom);
    expect(vertices(el)[0]![1], 'the first value sits inside the band').to.be.lessThan(bandBottom);
    await expect(el).to.be.accessible();
  });

  it('places values by their time, not their index', async () => {
    const points: SeriesPoint[] = [
      { reference: 'Observation/a', time: '2026-01-01', value: 1 },
      { reference: 'Observation/b', time: '2026-01-02', value: 2 },
      { reference: 'Observation/c', time: '2026-01-11', value: 3 },
    ];
    const el = await fixture<CurbsideSparklineElement>(html`<curbside-sparkline label="K" .points=${points}></curbside-sparkline>`);
    expect(vertices(el).map(([x]) => x)).to.deep.equal([0, 10, 100]);
  });

  it('draws one value as a single dot and says when it was taken', async () => {
    const one: SeriesPoint[] = [{ reference: 'Observation/k1', time: '2026-11-02', value: 4.1 }];
    const el = await fixture<CurbsideSparklineElement>(html`<curbside-sparkline label="Potassium" unit="mmol/L" .points=${one}></curbside-sparkline>`);
    expect(part(el, 'line')).to.equal(null);
    expect(dotAt(part(el, 'latest')!)).to.deep.equal([50, 50]);
    expect(label(el)).to.equal('Potassium, 1 value in Nov 2026, 4.1 mmol/L');
    await expect(el).to.be.accessible();
  });

  it('draws equal values as a flat line through the middle', async () => {
    const el = await fixture<CurbsideSparklineElement>(
      html`<curbside-sparkline label="Sodium" unit="mmol/L" .points=${series([140, 140, 140, 140])}></curbside-sparkline>`,
    );
    expect(new Set(vertices(el).map(([, y]) => y))).to.deep.equal(new Set([50]));
    expect(label(el)).to.equal('Sodium, 4 values in Jan 2020, all 140 mmol/L');
  });

  it('thins thousands of values for drawing but keeps the lowest, the highest, the latest and every highlighted one', async () => {
    const values = Array.from({ length: 6000 }, (_, index) => 100 + 10 * Math.sin(index / 40));
    values[1234] = 20; // a dip
    values[4321] = 260; // a spike
    const points = series(values, Date.UTC(2010, 0, 15, 12), 86_400_000);
    const highlight = ['Observation/o17', 'Observation/o2999', 'Observation/o5001'];
    const el = await fixture<CurbsideSparklineElement>(
      html`<curbside-sparkline label="Glucose" unit="mg/dL" .points=${points} .highlight=${highlight}></curbside-sparkline>`,
    );

    const drawn = vertices(el);
    expect(drawn.length).to.be.lessThan(200);
    const ys = drawn.map(([, y]) => y);
    // y grows downwards: the dip is the largest y, the spike the smallest.
    // Every other value lies between y 61 and 68.
    expect(Math.max(...ys), 'the dip is drawn').to.be.greaterThan(90);
    expect(Math.min(...ys), 'the spike is drawn').to.be.lessThan(10);

    const rings = parts(el, 'highlight').map(dotAt);
    expect(rings).to.have.length(3);
    for (const [x, y] of rings) {
      expect(drawn.some(([dx, dy]) => dx === x && dy === y), `highlighted value at ${x},${y} is on the line`).to.equal(true);
    }
    expect(drawn.at(-1)).to.deep.equal(dotAt(part(el, 'latest')!));
    expect(label(el)).to.match(/^Glucose, 6000 values from Jan 2010 to \w{3} 2026, from 100 to [\d.]+ mg\/dL \(lowest 20, highest 260\), 3 values highlighted$/);
  });

  it('rings highlighted values and counts them in its name', async () => {
    const el = await fixture<CurbsideSparklineElement>(
      html`<curbside-sparkline
        label="eGFR"
        unit="mL/min/1.73m2"
        .points=${egfr}
        .referenceRange=${egfrRange}
        .highlight=${['Observation/egfr-9', 'Observation/egfr-11', 'Observation/not-in-series']}
      ></curbside-sparkline>`,
    );
    const rings = parts(el, 'highlight').map(dotAt);
    expect(rings).to.deep.equal([vertices(el)[9], vertices(el)[11]]);
    expect(label(el)).to.match(/below the reference range, 2 values highlighted$/);
    await expect(el).to.be.accessible();
  });

  it('draws no band and says nothing about a range when there is none', async () => {
    const el = await fixture<CurbsideSparklineElement>(html`<curbside-sparkline label="eGFR" unit="mL/min/1.73m2" .points=${egfr}></curbside-sparkline>`);
    expect(part(el, 'band')).to.equal(null);
    expect(label(el)).to.not.contain('reference range');

    el.referenceRange = { text: 'see report' };
    await el.updateComplete;
    expect(part(el, 'band')).to.equal(null);
  });

  it('shades a two-sided range between its bounds', async () => {
    const el = await fixture<CurbsideSparklineElement>(
      html`<curbside-sparkline label="K" unit="mmol/L" .points=${series([3.1, 4.2, 5.8])} .referenceRange=${{ low: 3.5, high: 5.1 }}></curbside-sparkline>`,
    );
    const band = part(el, 'band')!;
    const top = Number(band.getAttribute('y'));
    const bottom = top + Number(band.getAttribute('height'));
    const [first, middle, last] = vertices(el).map(([, y]) => y);
    expect(first).to.be.greaterThan(bottom);
    expect(middle).to.be.within(top, bottom);
    expect(last).to.be.lessThan(top);
    expect(label(el)).to.contain('above the reference range');
  });

  it('names an empty series', async () => {
    const el = await fixture<CurbsideSparklineElement>(html`<curbside-sparkline label="HbA1c"></curbside-sparkline>`);
    expect(label(el)).to.equal('HbA1c, no values');
    expect(part(el, 'latest')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('takes its size from --curbside-sparkline-width and --curbside-sparkline-height', async () => {
    const el = await fixture<CurbsideSparklineElement>(
      html`<curbside-sparkline
        style="--curbside-sparkline-width: 180px; --curbside-sparkline-height: 48px"
        label="eGFR"
        .points=${egfr}
      ></curbside-sparkline>`,
    );
    const box = el.getBoundingClientRect();
    expect(box.width).to.equal(180);
    expect(box.height).to.equal(48);
    expect(part(el, 'base')!.getBoundingClientRect().right).to.be.at.most(box.right);
  });

  it('puts a label with markup into the name as text', async () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const el = await fixture<CurbsideSparklineElement>(html`<curbside-sparkline label=${hostile} .points=${egfr}></curbside-sparkline>`);
    expect(label(el)).to.match(/^<img src=x onerror=alert\(1\)>, 12 values/);
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
  });
});
