/**
 * Text into a card's `detail` (GitHub Flavored Markdown): everything that did not come from this
 * service's own wording (the record's text in risk factors and reasons, item labels) goes through
 * `mdText`, so the record can never add a link, an image, emphasis or HTML to a card.
 *
 * Decision: backslash escapes (CommonMark) for the characters that open inline markup (`\` `` ` ``
 * `*` `_` `[` `]` `<` `>` `&` `|` `~` `#`) rather than HTML entities, so a client that shows the
 * markdown as plain text still shows readable text. Line breaks become spaces: a value stays on its
 * line and cannot start a block of its own. `.`, `-` and `(` are left alone: they only make markup
 * at the start of a line (every value is written after a list marker or a label) or after `]`.
 */
const SPECIAL = /[\\`*_[\]<>&|~#]/g;

export function mdText(value: unknown): string {
  return String(value ?? '')
    .replace(/[\r\n\t]+/g, ' ')
    .replace(SPECIAL, (c) => `\\${c}`)
    .trim();
}
