import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fetchSmartStyle, smartStyleToCssProperties, type FetchLike } from './style.ts';

test('maps every SMART style field onto its --curbside-* property', () => {
  assert.deepEqual(
    smartStyleToCssProperties({
      color_background: '#edeae3',
      color_error: '#9e2d2d',
      color_highlight: '#69b5ce',
      color_modal_backdrop: 'rgba(0, 0, 0, 0.5)',
      color_success: 'hsl(120 40% 30%)',
      color_text: '#303030',
      dim_border_radius: '6px',
      dim_font_size: '13px',
      dim_spacing_size: '0.5rem',
      font_family_body: 'Georgia, Times, "Times New Roman", serif',
      font_family_heading: "'Helvetica Neue',Helvetica,Arial,sans-serif",
      sanitized_but_unknown: 'ignored',
    }),
    {
      '--curbside-color-surface': '#edeae3',
      '--curbside-color-error': '#9e2d2d',
      '--curbside-color-accent': '#69b5ce',
      '--curbside-color-backdrop': 'rgba(0, 0, 0, 0.5)',
      '--curbside-color-success': 'hsl(120 40% 30%)',
      '--curbside-color-text': '#303030',
      '--curbside-radius': '6px',
      '--curbside-font-size': '13px',
      '--curbside-spacing': '0.5rem',
      '--curbside-font-family': 'Georgia, Times, "Times New Roman", serif',
      '--curbside-font-family-heading': "'Helvetica Neue', Helvetica, Arial, sans-serif",
    },
  );
});

test('accepts the colour forms EHRs send', () => {
  for (const color of ['#fff', '#FFFA', '#a1b2c3', '#a1b2c3d4', 'rgb(10,20,30)', 'rgb(0 0 0 / 40%)', 'hsla(210, 50%, 40%, .8)', 'hsl(210deg 40% 30%)', 'Navy', 'transparent']) {
    assert.ok(smartStyleToCssProperties({ color_highlight: color })['--curbside-color-accent'], color);
  }
});

test('drops anything that could escape the declaration or load something', () => {
  const hostile = [
    'red;}</style><script>alert(1)</script>',
    'url(javascript:alert(1))',
    'url(https://evil.example/x.png)',
    'expression(alert(1))',
    'var(--x)',
    'rgb(1,2,3);background:url(x)',
    'rgb(calc(1),2,3)',
    '#12345',
    '#ggg',
    'red blue',
    'inherit',
    'initial',
    '',
    '   ',
    'red\n}',
    '\\72 ed',
  ];
  for (const value of hostile) {
    assert.deepEqual(smartStyleToCssProperties({ color_highlight: value, color_text: value }), {}, JSON.stringify(value));
  }
});

test('lengths: plain non-negative numbers with px/rem/em/pt/% only', () => {
  const ok = ['6px', '0.5rem', '.75em', '12pt', '50%', '0'];
  const bad = ['-4px', '6', '6 px', '6px;', 'calc(1px + 2px)', '1e3px', '6vmax', '99999px', 'attr(x)'];
  for (const v of ok) assert.equal(smartStyleToCssProperties({ dim_border_radius: v })['--curbside-radius'], v, v);
  for (const v of bad) assert.equal(smartStyleToCssProperties({ dim_border_radius: v })['--curbside-radius'], undefined, v);
});

test('font families: letters, digits, spaces, quotes, commas and hyphens, balanced quotes', () => {
  const bad = ['Arial; color: red', 'x{}', '"Unclosed, serif', "Arial, 'Open", 'a\\62 c', 'Arial,,serif', 'url(x)', 'A'.repeat(201)];
  for (const v of bad) assert.equal(smartStyleToCssProperties({ font_family_body: v })['--curbside-font-family'], undefined, v);
  assert.equal(smartStyleToCssProperties({ font_family_body: 'system-ui, Segoe UI 2' })['--curbside-font-family'], 'system-ui, Segoe UI 2');
});

test('non-object documents and non-string fields give an empty map', () => {
  for (const doc of [null, undefined, 'x', 42, [], ['color_text']]) assert.deepEqual(smartStyleToCssProperties(doc), {});
  assert.deepEqual(smartStyleToCssProperties({ color_text: 7, dim_font_size: { px: 6 } }), {});
});

function fakeFetch(answer: (url: string, init?: RequestInit) => Promise<Response>): FetchLike & { calls: Array<{ url: string; init?: RequestInit }> } {
  const calls: Array<{ url: string; init?: RequestInit }> = [];
  const fn = (async (url: string, init?: RequestInit) => {
    calls.push({ url, ...(init ? { init } : {}) });
    return answer(url, init);
  }) as FetchLike & { calls: typeof calls };
  fn.calls = calls;
  return fn;
}

test('fetchSmartStyle: one GET without credentials, the caller signal passed, the document mapped', async () => {
  const fetchImpl = fakeFetch(async () => Response.json({ color_highlight: '#123456', color_text: 'url(javascript:x)' }));
  const signal = new AbortController().signal;
  assert.deepEqual(await fetchSmartStyle('https://ehr.example/smart-style.json', fetchImpl, signal), { '--curbside-color-accent': '#123456' });
  assert.equal(fetchImpl.calls.length, 1);
  assert.equal(fetchImpl.calls[0]?.init?.credentials, 'omit');
  assert.equal(fetchImpl.calls[0]?.init?.signal, signal);
});

test('fetchSmartStyle never throws: HTTP errors, bad JSON, network errors, aborts and odd URLs give {}', async () => {
  const cases: Array<[string, FetchLike]> = [
    ['https://ehr.example/s.json', fakeFetch(async () => new Response('nope', { status: 404 }))],
    ['https://ehr.example/s.json', fakeFetch(async () => new Response('<html>', { status: 200 }))],
    ['https://ehr.example/s.json', fakeFetch(async () => Promise.reject(new TypeError('Failed to fetch')))],
    ['https://ehr.example/s.json', fakeFetch(async () => Promise.reject(new DOMException('aborted', 'AbortError')))],
    ['not a url', fakeFetch(async () => Response.json({ color_text: '#000' }))],
    ['javascript:alert(1)', fakeFetch(async () => Response.json({ color_text: '#000' }))],
  ];
  for (const [url, fetchImpl] of cases) assert.deepEqual(await fetchSmartStyle(url, fetchImpl), {}, url);
});
