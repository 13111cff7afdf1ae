/**
 * A token estimate for text sent to a model, used for the payload budget and for the raw-FHIR
 * comparison alike, so the two numbers are comparable.
 *
 * Method: the text is cut into the pieces byte-pair tokenizers (cl100k, o200k and their kin)
 * usually keep apart, and each piece is costed on its own:
 *   - a run of ASCII letters: 1 token up to 7 letters, then 1 more per started 5 letters
 *     ("display" 1, "reference" 2, "hydrochlorothiazide" 4) — common words are one token, rare
 *     clinical words split into several;
 *   - a run of digits: 1 token per started 3 digits (these tokenizers group digits by three);
 *   - a single space is free (it joins the next word's token); longer runs of spaces or tabs cost
 *     1 per started 4; each run of line breaks costs 1;
 *   - a run of ASCII punctuation: 1 token per started 3 characters (`":"`, `","`, `{"` are
 *     single tokens in JSON);
 *   - any other character: 1 token below U+0800 (accented Latin, Greek, Cyrillic, Arabic), 2 above
 *     (CJK, symbols), since these take several bytes and rarely merge.
 * English prose comes out near 4 characters per token and compact JSON near 3, which is what those
 * tokenizers give; the estimate leans high rather than low, the safe side for a budget.
 */

const PIECES = /[A-Za-z]+|[0-9]+|[ \t]+|[\r\n]+|[!-/:-@[-`{-~]+|\P{ASCII}/gu;

export function estimateTokens(text: string): number {
  let tokens = 0;
  for (const match of text.matchAll(PIECES)) {
    const piece = match[0];
    const first = piece.charCodeAt(0);
    const length = piece.length;
    if (isLetter(first)) tokens += length <= 7 ? 1 : 1 + Math.ceil((length - 7) / 5);
    else if (first >= 48 && first <= 57) tokens += Math.ceil(length / 3);
    else if (first === 32 || first === 9) tokens += length === 1 ? 0 : Math.ceil(length / 4);
    else if (first === 10 || first === 13) tokens += 1;
    else if (first < 128) tokens += Math.ceil(length / 3);
    else tokens += (piece.codePointAt(0) ?? 0) < 0x800 ? 1 : 2;
  }
  return tokens;
}

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}
