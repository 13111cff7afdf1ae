import { failOnLitWarnings } from '../../test/component/lit-warnings.ts';
import { expect, fixture, html } from '@open-wc/testing';
import { render } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { TrustedTypesWindow } from 'trusted-types/lib';
import { MarkdownStream, isWebUrl, markdown, markdownStream, renderMarkdown, type MarkdownBlock } from './markdown.ts';
import { XSS_PAYLOADS, assertNoActiveContent } from '../../test/component/xss.ts';

failOnLitWarnings();

async function rendered(text: string): Promise<HTMLDivElement> {
  return fixture<HTMLDivElement>(html`<div>${markdown(text)}</div>`);
}

function renderBlocks(blocks: readonly MarkdownBlock[], into: HTMLElement): void {
  render(
    html`${repeat(
      blocks,
      (block) => block.key,
      (block) => markdown(block),
    )}`,
    into,
  );
}

/** The element's HTML without Lit's marker comments. */
function markup(element: HTMLElement): string {
  const copy = element.cloneNode(true) as HTMLElement;
  const walker = document.createTreeWalker(copy, NodeFilter.SHOW_COMMENT);
  const comments: Node[] = [];
  while (walker.nextNode()) comments.push(walker.currentNode);
  for (const comment of comments) comment.parentNode!.removeChild(comment);
  return copy.innerHTML;
}

const DOCUMENT = `# Assessment

Likely **type 2 diabetes** with *early* kidney involvement; see [ADA 2024](https://diabetesjournals.org/care).

1. Repeat HbA1c
2. Urine albumin–creatinine ratio

3. Loose item after a blank line

- tight item
- another
  continued lazily

- loose item with a second paragraph

  indented paragraph of the same item

\`\`\`text
code with a blank line

inside the fence
\`\`\`

| Test | Value | Flag |
| :--- | ---: | :---: |
| HbA1c | 7.4 % | H |
| eGFR | 58 | L |

> Quoted guidance
> over two lines

> A second quote

    indented code

## Next steps
Plain paragraph with \`<code>\` and a line
that wraps.

Final paragraph without a trailing newline`;

describe('renderMarkdown and markdown()', () => {
  it('renders lists, emphasis and links, with links opening in a new tab without referrer', async () => {
    const el = await rendered('Some **bold** and *em* text.\n\n- one\n- two\n\n3. three\n4. four\n\nSee [guide](https://example.org/guide "The guide").');
    expect(el.querySelector('strong')!.textContent).to.equal('bold');
    expect(el.querySelector('em')!.textContent).to.equal('em');
    expect([...el.querySelectorAll('ul > li')].map((li) => li.textContent)).to.deep.equal(['one', 'two']);
    expect(el.querySelector('ol')!.getAttribute('start')).to.equal('3');
    const link = el.querySelector('a')!;
    expect(link.getAttribute('href')).to.equal('https://example.org/guide');
    expect(link.getAttribute('rel')).to.equal('noopener noreferrer');
    expect(link.getAttribute('target')).to.equal('_blank');
    expect(link.getAttribute('title')).to.equal('The guide');
  });

  it('renders code fences as escaped text without language classes', async () => {
    const el = await rendered('```html\n<img src=x onerror=alert(1)>\n```\n\nInline `<b>` code.');
    const code = el.querySelector('pre > code')!;
    expect(code.textContent).to.equal('<img src=x onerror=alert(1)>\n');
    expect(code.hasAttribute('class')).to.equal(false);
    expect(el.querySelector('p > code')!.textContent).to.equal('<b>');
    expect(el.querySelector('img, b')).to.equal(null);
  });

  it('renders GFM tables with header, body and column alignment', async () => {
    const el = await rendered('| Test | Value |\n| :--- | ---: |\n| HbA1c | 7.4 % |\n| eGFR | 58 |');
    expect([...el.querySelectorAll('thead th')].map((th) => th.textContent)).to.deep.equal(['Test', 'Value']);
    expect([...el.querySelectorAll('tbody tr')].map((tr) => [...(tr as HTMLTableRowElement).cells].map((cell) => cell.textContent))).to.deep.equal([
      ['HbA1c', '7.4 %'],
      ['eGFR', '58'],
    ]);
    expect(el.querySelector('tbody td:last-child')!.getAttribute('align')).to.equal('right');
  });

  it('renders every model heading at one level, h3 unless asked, so none outranks the page or skips a level', async () => {
    const source = '## Two first\n\n# One\n\n### Three\n\n###### Six\n\nSetext\n===';
    const el = await rendered(source);
    expect([...el.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => h.localName)).to.deep.equal(['h3', 'h3', 'h3', 'h3', 'h3']);
    expect(String(renderMarkdown('## x', { headingLevel: 5 }))).to.equal('<h5>x</h5>\n');
    expect(String(renderMarkdown('## x', { headingLevel: 1 })), 'never above h3').to.equal('<h3>x</h3>\n');
    const stream = new MarkdownStream({ headingLevel: 4 });
    stream.append('# a\n\ntext');
    stream.end();
    const container = document.createElement('div');
    showStream(stream, container);
    expect(container.querySelector('h4')!.textContent).to.equal('a');
  });

  it('keeps raw HTML as visible text, and images as their description', async () => {
    const el = await rendered('Before <img src=x onerror=alert(1)> after <b>bold?</b>\n\n<div>block</div>\n\n![chart of eGFR](https://tracker.example/pixel.png)');
    expect(el.textContent).to.contain('<img src=x onerror=alert(1)>');
    expect(el.textContent).to.contain('<b>bold?</b>');
    expect(el.textContent).to.contain('<div>block</div>');
    expect(el.textContent).to.contain('chart of eGFR');
    expect(el.querySelector('img, b, div')).to.equal(null);
  });

  it('drops the address of links that are not absolute http(s), keeping their text', async () => {
    const el = await rendered('[rel](/local) [frag](#top) [mail](mailto:a@b.c) [ftp](ftp://x.org/f) [ok](http://example.org)');
    const links = [...el.querySelectorAll('a')];
    expect(links.map((a) => a.textContent)).to.deep.equal(['rel', 'frag', 'mail', 'ftp', 'ok']);
    expect(links.map((a) => a.getAttribute('href'))).to.deep.equal([null, null, null, null, 'http://example.org']);
    expect(links[0]!.hasAttribute('target')).to.equal(false);
  });

  it('returns TrustedHTML from the curbside-markdown policy where the browser has Trusted Types', () => {
    const result = renderMarkdown('**x**');
    const { trustedTypes } = window as unknown as TrustedTypesWindow;
    expect(trustedTypes!.isHTML(result)).to.equal(true);
    expect(String(result)).to.equal('<p><strong>x</strong></p>\n');
  });

  it('checks web addresses strictly', () => {
    expect(isWebUrl('https://a.org/x')).to.equal(true);
    expect(isWebUrl('HTTP://A.ORG')).to.equal(true);
    for (const bad of ['javascript:alert(1)', 'data:text/html,x', '//a.org', '/x', 'a.org', '', null, undefined, ' javascript:alert(1)']) {
      expect(isWebUrl(bad), String(bad)).to.equal(false);
    }
  });

  it('renders each payload of the XSS corpus without any script-capable element, attribute or address', async () => {
    for (const payload of XSS_PAYLOADS) {
      const el = await rendered(payload);
      assertNoActiveContent(el, payload);
    }
    const all = await rendered(XSS_PAYLOADS.join('\n\n'));
    assertNoActiveContent(all, 'all payloads together');
  });

  it('renders again only when the text changes', async () => {
    const container = await fixture<HTMLDivElement>(html`<div></div>`);
    const show = (text: string): void => {
      render(html`${markdown(text)}`, container);
    };
    show('one');
    const first = container.querySelector('p')!;
    show('one');
    expect(container.querySelector('p')).to.equal(first);
    show('two');
    expect(container.querySelector('p')!.textContent).to.equal('two');
  });
});

/** The stream directive's blocks without their boxes, as one-shot rendering would give them. */
function unboxed(container: HTMLElement): string {
  const boxes = [...container.querySelector('.answer')!.children];
  for (const box of boxes) expect(box.className).to.equal('markdown-block');
  return boxes.map((box) => box.innerHTML).join('');
}

function showStream(stream: MarkdownStream, into: HTMLElement): void {
  render(html`<div class="answer" ${markdownStream(stream)}></div>`, into);
}

describe('MarkdownStream', () => {
  it('renders exactly what a one-shot render does, however the text arrives, block by block or through markdownStream()', async () => {
    const whole = await rendered(DOCUMENT);
    const expected = markup(whole);
    for (const size of [1, 3, 7, 40, 400]) {
      const stream = new MarkdownStream();
      const byBlocks = document.createElement('div');
      const byDirective = document.createElement('div');
      for (let i = 0; i < DOCUMENT.length; i += size) {
        stream.append(DOCUMENT.slice(i, i + size));
        renderBlocks(stream.blocks, byBlocks);
        showStream(stream, byDirective);
      }
      stream.end();
      renderBlocks(stream.blocks, byBlocks);
      showStream(stream, byDirective);
      expect(markup(byBlocks), `blocks, pieces of ${size}`).to.equal(expected);
      expect(unboxed(byDirective), `directive, pieces of ${size}`).to.equal(expected);
    }
  });

  it('renders each block once, in one call per read, and never the open block while the stream runs', () => {
    const calls: string[] = [];
    const stream = new MarkdownStream({
      render: (source) => {
        calls.push(source);
        return renderMarkdown(source);
      },
    });
    const pieces = DOCUMENT.match(/[\s\S]{1,4}/g)!;
    let reads = 0;
    for (const piece of pieces) {
      stream.append(piece);
      const callsBefore = calls.length;
      const blocks = stream.blocks;
      reads += 1;
      // At most the newly completed text; the open block is plain text.
      expect(calls.length - callsBefore).to.be.at.most(1);
      const open = blocks.at(-1);
      if (open && !open.complete) expect(open.rendered, 'open block').to.equal(false);
      if (blocks.length > 1) {
        // Nothing rendered in this read reaches back into text completed before it.
        const renderedBefore = blocks.slice(0, -2).reduce((sum, block) => sum + block.source.length, 0);
        const newWork = calls.slice(callsBefore).join('');
        expect(newWork.length, 'rendered characters').to.be.at.most(stream.text.length - renderedBefore);
      }
    }
    stream.end();
    const blocks = stream.blocks;
    expect(blocks.every((block) => block.rendered), 'all rendered once the stream ended').to.equal(true);
    expect(blocks.length, 'split into several blocks').to.be.at.least(8);
    expect(blocks.map((block) => block.source).join('')).to.equal(DOCUMENT);
    const longest = Math.max(...blocks.map((block) => block.source.length));
    for (const source of calls) expect(source.length, 'never the text so far').to.be.at.most(longest + 8);
    // Every character is rendered exactly once: completed blocks when they complete, the last when the stream ends.
    expect(calls.join('')).to.equal(DOCUMENT);
    expect(calls.length).to.be.at.most(reads + 1);
  });

  it('renders everything completed between two reads in a single call', () => {
    const calls: string[] = [];
    const stream = new MarkdownStream({
      render: (source) => {
        calls.push(source);
        return renderMarkdown(source);
      },
    });
    // "Five" ends the list only once its line is complete.
    stream.append('One.\n\nTwo.\n\n# Three\n\n- four\n\nFive\n');
    expect(stream.blocks.map((block) => [block.source, block.complete, block.rendered])).to.deep.equal([
      ['One.\n\nTwo.\n\n# Three\n\n- four\n\n', true, true],
      ['Five\n', false, false],
    ]);
    expect(calls).to.have.length(1);
  });

  it('renders a burst over several reads, a bounded amount each, holding the open block back until it is done', () => {
    const calls: string[] = [];
    const stream = new MarkdownStream({
      charsPerRead: 40,
      render: (source) => {
        calls.push(source);
        return renderMarkdown(source);
      },
    });
    const container = document.createElement('div');
    stream.append('First block here.\n\nSecond block.\n\nThird one is longer than the limit alone.\n\nFourth.\n\nOpen');
    showStream(stream, container);
    expect(calls).to.deep.equal(['First block here.\n\nSecond block.\n\n']);
    expect(stream.pending).to.equal(true);
    expect(container.textContent).to.not.contain('Open');
    showStream(stream, container);
    // A block longer than the limit is still rendered whole; "Fourth." stays open, as text, until "Open" ends its line.
    expect(calls.slice(1)).to.deep.equal(['Third one is longer than the limit alone.\n\n']);
    expect(stream.pending).to.equal(false);
    expect(container.textContent).to.contain('Open');
    stream.end();
    showStream(stream, container);
    expect(calls.slice(2)).to.deep.equal(['Fourth.\n\nOpen']);
    expect(unboxed(container)).to.equal(String(renderMarkdown(stream.text)));
  });

  it('keeps the DOM of completed blocks while the open block grows', () => {
    const stream = new MarkdownStream();
    const container = document.createElement('div');
    stream.append('First paragraph.\n\nSecond\n');
    showStream(stream, container);
    expect(stream.blocks[0]!.complete).to.equal(true);
    const first = container.querySelector('p')!;
    const boxes = (): HTMLElement[] => [...container.querySelectorAll<HTMLElement>('.markdown-block')];
    const openText = boxes()[1]!.firstChild;
    stream.append('paragraph grows.');
    showStream(stream, container);
    expect(boxes()[1]!.firstChild, 'the open block, one text node updated in place').to.equal(openText);
    expect(container.querySelectorAll('p')).to.have.length(1);
    stream.append('\n\n- and a list\n');
    showStream(stream, container);
    const paragraphs = container.querySelectorAll('p');
    expect(paragraphs[0]).to.equal(first);
    expect(boxes()).to.have.length(3);
    expect(paragraphs[1]!.textContent, 'the open block, rendered once it completed').to.equal('Second\nparagraph grows.');
    expect(boxes()[1]!.className).to.equal('markdown-block');
    expect(container.querySelector('li'), 'the new open block is still text').to.equal(null);
    expect(boxes()[2]!.textContent).to.equal('- and a list');
    stream.end();
    showStream(stream, container);
    expect(container.querySelector('li')!.textContent).to.equal('and a list');
  });

  it('does not split inside a code fence, a loose list or an indented continuation', () => {
    const stream = new MarkdownStream();
    for (const char of '```\na\n\nb\n```\n\n- x\n\n- y\n\n  more y\n\nEnd\n') {
      stream.append(char);
      void stream.blocks;
    }
    expect(stream.blocks.map((block) => block.source)).to.deep.equal(['```\na\n\nb\n```\n\n', '- x\n\n- y\n\n  more y\n\n', 'End\n']);
  });

  it('renders the whole text as one block once a link reference definition appears', async () => {
    const text = 'See [the guide][g].\n\nMore text.\n\n[g]: https://example.org/g\n';
    const stream = new MarkdownStream();
    const container = document.createElement('div');
    for (const char of text) {
      stream.append(char);
      showStream(stream, container);
    }
    stream.end();
    showStream(stream, container);
    expect(stream.blocks).to.have.length(1);
    expect(unboxed(container)).to.equal(markup(await rendered(text)));
    expect(container.querySelector('a')!.getAttribute('href')).to.equal('https://example.org/g');
  });

  it('starts afresh when the text is replaced rather than extended', () => {
    const stream = new MarkdownStream();
    const container = document.createElement('div');
    stream.update('Old answer.\n\nMore\n');
    showStream(stream, container);
    stream.update('Old answer.\n\nMore text');
    expect(stream.text).to.equal('Old answer.\n\nMore text');
    stream.update('New');
    showStream(stream, container);
    expect(stream.blocks.map((block) => block.source)).to.deep.equal(['New']);
    expect(container.textContent!.trim()).to.equal('New');
  });

  it('shows the open block as plain text while the stream runs, and as markdown once it ends', () => {
    const stream = new MarkdownStream();
    const container = document.createElement('div');
    stream.append('Done paragraph.\n\nStill **being**\nwritten');
    showStream(stream, container);
    const open = container.querySelectorAll('.markdown-block')[1]!;
    expect(open.className).to.equal('markdown-block markdown-open');
    expect(open.childNodes).to.have.length(1);
    expect(open.firstChild!.nodeType).to.equal(Node.TEXT_NODE);
    expect(open.textContent).to.equal('Still **being**\nwritten');
    expect(container.querySelector('strong')).to.equal(null);

    stream.end();
    expect(stream.ended).to.equal(true);
    showStream(stream, container);
    expect(unboxed(container)).to.equal(String(renderMarkdown(stream.text)));
    expect(container.querySelector('strong')!.textContent).to.equal('being');

    // More text reopens the stream: the last block is text again until the next end().
    stream.append(' and more');
    expect(stream.ended).to.equal(false);
    showStream(stream, container);
    expect(container.querySelector('strong')).to.equal(null);
    expect(container.querySelectorAll('.markdown-block')).to.have.length(2);
    expect(container.querySelector('.answer')!.lastElementChild!.textContent).to.equal('Still **being**\nwritten and more');
    stream.end();
    showStream(stream, container);
    expect(unboxed(container)).to.equal(String(renderMarkdown(stream.text)));
  });

  it('shows markdown(block) of an open block as its source text', () => {
    const stream = new MarkdownStream();
    const container = document.createElement('div');
    stream.append('An *open* block');
    renderBlocks(stream.blocks, container);
    expect(container.querySelector('em')).to.equal(null);
    expect(container.textContent).to.equal('An *open* block');
    stream.end();
    renderBlocks(stream.blocks, container);
    expect(markup(container)).to.equal(String(renderMarkdown('An *open* block')));
  });

  it('keeps each XSS payload inert while it is the open block, and after the stream ends', () => {
    for (const payload of XSS_PAYLOADS) {
      const stream = new MarkdownStream();
      const container = document.createElement('div');
      for (const char of payload) {
        stream.append(char);
        showStream(stream, container);
        assertNoActiveContent(container, `open ${payload}`);
      }
      const last = container.querySelector('.markdown-block:last-child');
      if (last?.classList.contains('markdown-open')) {
        expect([...last.childNodes].every((node) => node.nodeType === Node.TEXT_NODE), payload).to.equal(true);
        expect(last.textContent, payload).to.equal(stream.blocks.at(-1)!.source.trimEnd());
      }
      stream.end();
      showStream(stream, container);
      assertNoActiveContent(container, `ended ${payload}`);
    }
  });
});
