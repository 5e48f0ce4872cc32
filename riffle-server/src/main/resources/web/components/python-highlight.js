// A small Python tokenizer for the code editor: keywords, strings, comments, numbers, def/class names.

const KEYWORDS = new Set(('False None True and as assert async await break class continue def del elif else '
  + 'except finally for from global if import in is lambda nonlocal not or pass raise return try while with '
  + 'yield match case').split(' '));
const BUILTINS = new Set(('print len range dict list set tuple str int float bool bytes isinstance enumerate '
  + 'zip map filter min max sum sorted reversed any all abs round open super type getattr setattr hasattr '
  + 'self Exception ValueError KeyError TypeError RuntimeError').split(' '));

// One alternative per token kind; the first group that matched names the kind.
const TOKEN = new RegExp([
  /(#[^\n]*)/.source,
  /((?:[rRbBuUfF]{1,2})?(?:"""[\s\S]*?(?:"""|$(?![\s\S]))|'''[\s\S]*?(?:'''|$(?![\s\S]))|"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?))/.source,
  /(\b(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|\d[\d_]*(?:\.[\d_]*)?(?:[eE][+-]?\d+)?[jJ]?))/.source,
  /(@[A-Za-z_][\w.]*)/.source,
  /([A-Za-z_]\w*)/.source,
].join('|'), 'g');

const KINDS = ['comment', 'string', 'number', 'decorator', 'name'];

/** Splits `source` into [{kind, text}] where kind is null for plain text; the texts join back to `source`. */
export function tokenize(source) {
  const tokens = [];
  let last = 0;
  let previousName = '';
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(source); m; m = TOKEN.exec(source)) {
    if (m[0] === '') { TOKEN.lastIndex++; continue; }
    if (m.index > last) tokens.push({ kind: null, text: source.slice(last, m.index) });
    let kind = KINDS[m.slice(1).findIndex((g) => g !== undefined)];
    if (kind === 'name') {
      const word = m[0];
      if (previousName === 'def' || previousName === 'class') kind = 'def';
      else if (KEYWORDS.has(word)) kind = 'keyword';
      else if (BUILTINS.has(word)) kind = 'builtin';
      else kind = null;
      previousName = word;
    } else {
      previousName = '';
    }
    tokens.push({ kind, text: m[0] });
    last = m.index + m[0].length;
  }
  if (last < source.length) tokens.push({ kind: null, text: source.slice(last) });
  return tokens;
}

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const escape = (text) => text.replace(/[&<>"]/g, (c) => ESCAPES[c]);

/** HTML for `source` with one <span class="tok-KIND"> per token; every character of the source is escaped. */
export function highlight(source) {
  return tokenize(source)
    .map(({ kind, text }) => (kind ? `<span class="tok-${kind}">${escape(text)}</span>` : escape(text)))
    .join('');
}
